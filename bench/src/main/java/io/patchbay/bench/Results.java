package io.patchbay.bench;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Everything a run measures, as written to the JSON result. Times in milliseconds unless named otherwise. */
public final class Results {

    private Results() {
    }

    /** Outcome counts by command status. */
    public record Statuses(long applied, long unchanged, long rejected) {
        public long total() {
            return applied + unchanged + rejected;
        }

        static Statuses of(Map<String, Long> counts) {
            return new Statuses(counts.getOrDefault("APPLIED", 0L), counts.getOrDefault("UNCHANGED", 0L),
                    counts.getOrDefault("REJECTED", 0L));
        }
    }

    /** A latency distribution in milliseconds. */
    public record Distribution(long count, double p50, double p90, double p99, double p999, double max) {
        /** From a histogram recorded in microseconds. */
        public static Distribution ofMicros(Histogram h) {
            return new Distribution(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
        }
    }

    /**
     * Database consistency after a run: the resource versions grew by exactly the number of applied commands,
     * which equals the number of change-log rows, and every command has one command-log row.
     */
    public record Verification(long commandLogRows, long changeLogRows, long versionGrowth, boolean consistent) {
    }

    /**
     * CPU time per command while it ran, which (unlike wall time) hardly depends on what else the machine does.
     *
     * @param app milliseconds of the implementation's own process or thread (see {@code appScope}); -1 if unknown
     * @param database milliseconds of the PostgreSQL server (postmaster and backends); -1 if unknown
     */
    public record CpuPerCommand(double app, String appScope, double database) {
        public static CpuPerCommand of(double appSeconds, String appScope, double databaseSeconds, long commands) {
            return new CpuPerCommand(appSeconds < 0 || commands <= 0 ? -1 : appSeconds * 1000 / commands, appScope,
                    databaseSeconds < 0 || commands <= 0 ? -1 : databaseSeconds * 1000 / commands);
        }
    }

    /** A run of commands through one implementation. */
    public record Throughput(String implementation, long commands, double seconds, double commandsPerSecond,
                             Statuses statuses, Verification verification, CpuPerCommand cpuMillisPerCommand, String note) {
    }

    /**
     * The processor drain: preloaded backlog to the last published outcome.
     *
     * @param appCpuMillisPerCommandByThreadGroup {@code cpuMillisPerCommand.app} split by the JVM's thread groups
     *                                            ({@link ThreadGroupCpu}: jit, gc/vm, work); empty when unknown, null
     *                                            in results written before it existed
     * @param secondHalf the same measured from the moment half of the outcomes were read to the end; null in results
     *                   written before it existed
     */
    public record Drain(long commands, long outcomes, double preloadSeconds, double firstToLastOutcomeSeconds,
                        double launchToLastOutcomeSeconds, double commandsPerSecond, Statuses statuses,
                        Verification verification, CpuPerCommand cpuMillisPerCommand, long processorRssMaxKb,
                        Map<String, Double> appCpuMillisPerCommandByThreadGroup, Window secondHalf) {
    }

    /**
     * Part of a drain, from a reading taken once {@code fromDone} units were done to the end: its rate and CPU per
     * unit, the app's JVM split by thread group as well.
     *
     * @param units outcomes (processor) or rows (sink) done in the window
     * @param seconds from the reading to the last unit done
     * @param appCpuMillisByThreadGroup {@code cpuMillisPerUnit.app} by thread group (jit, gc/vm, work); empty when unknown
     */
    public record Window(long fromDone, long units, double seconds, double perSecond, CpuPerCommand cpuMillisPerUnit,
                         Map<String, Double> appCpuMillisByThreadGroup) {
    }

    /**
     * Records produced on a fixed schedule while an implementation runs, by a load generator in its own JVM; latency
     * from each record's scheduled send time until its effect is visible (the processor's outcome read back, the
     * sink's row committed).
     *
     * @param fractionOfDrain the offered rate as a fraction of the implementation's measured drain rate
     * @param untilProducedMillis the processor's part: from the scheduled send until the processor produced the
     *                            outcome (the outcome record's timestamp, set when it is published after the batch's
     *                            commit); the rest of {@code latencyMillis} is that record's delivery. Null for the sink
     */
    public record SteadyLatency(double fractionOfDrain, double offeredRate, long sent, long received, double seconds,
                                Distribution latencyMillis, Distribution untilProducedMillis) {

        /** Whether every record was answered and p99 stayed within {@code p99Millis}. */
        public boolean within(double p99Millis) {
            return received == sent && latencyMillis.p99() <= p99Millis;
        }
    }

    /** One implementation's latency at rising fixed rates (a fraction of its own drain rate each). */
    public record LatencyLadder(String implementation, double drainRate, List<SteadyLatency> steps) {
    }

    /**
     * The peer: Debezium's JDBC sink on Kafka Connect, fed one full-row upsert per change the processor applied
     * in the same run, into its own copy of the same tables.
     *
     * @param records full-row records on the sink's topics (the processor's applied commands)
     * @param preloadSeconds time to produce them (JSON with schemas, acks=all)
     * @param runs one per connector configuration, in the order they ran
     */
    public record Peer(long records, double preloadSeconds, List<SinkRun> runs) {
    }

    /**
     * One configuration of the sink draining the preloaded records, measured like the processor's drain.
     *
     * @param seconds first row written to last (the sink publishes nothing: its tables are polled every 100 ms)
     * @param cpuMillisPerRecord Connect's JVM and the PostgreSQL server, from the task running to the last row
     * @param sameRowsAsProcessor whether every compared column of every row equals the processor's database after its drain
     * @param appCpuMillisPerRecordByThreadGroup {@code cpuMillisPerRecord.app} split by Connect's thread groups (jit,
     *                                           gc/vm, work); empty when unknown, null in results written before it existed
     * @param secondHalf the same measured from the moment half of the rows were applied to the end; null in results
     *                   written before it existed
     */
    public record SinkRun(String configuration, Map<String, String> settings, long records, double seconds,
                          double recordsPerSecond, CpuPerCommand cpuMillisPerRecord, boolean sameRowsAsProcessor,
                          String firstDifference, long rssMaxKb, Map<String, Double> appCpuMillisPerRecordByThreadGroup,
                          Window secondHalf) {
    }

    /**
     * One rate of an HTTP ladder.
     *
     * @param cpuMillisPerRequestByThreadGroup each JVM part's share of {@code cpuMillisPerRequestByPart} split by
     *                                         thread group ({@link ThreadGroupCpu}: jit, gc/vm, work); null in results
     *                                         written before it existed
     */
    public record HttpStep(int offeredRate, long sent, long ok, long failed, long timedOut, double achievedRate,
                           Distribution latencyMillis, boolean sustainable, Map<String, Long> responses,
                           double cpuMillisPerRequest, Map<String, Double> cpuMillisPerRequestByPart,
                           Map<String, Map<String, Double>> cpuMillisPerRequestByThreadGroup) {

        /** This step with the CPU its service spent per answered request (-1: unknown), in total and by part. */
        public HttpStep withCpuMillisPerRequest(double millis, Map<String, Double> byPart) {
            return withCpuMillisPerRequest(millis, byPart, cpuMillisPerRequestByThreadGroup);
        }

        /** The same, with each JVM part split by thread group. */
        public HttpStep withCpuMillisPerRequest(double millis, Map<String, Double> byPart,
                                                Map<String, Map<String, Double>> byThreadGroup) {
            return new HttpStep(offeredRate, sent, ok, failed, timedOut, achievedRate, latencyMillis, sustainable, responses,
                    millis, byPart, byThreadGroup);
        }

        /** Whether the server kept up at all: at least 90% of the offered rate answered, at most 1% failed. */
        public boolean keptUp() {
            return achievedRate >= 0.9 * offeredRate && failed + timedOut <= sent / 100;
        }
    }

    /**
     * One HTTP ladder: a mode at ascending rates until the first it cannot keep up with; the maximum sustainable
     * rate is the highest that also met the p99 bound.
     *
     * @param warmup the unmeasured warm-up before the ladder, kept so that its answers are seen (a warm-up that failed
     *               or was refused leaves the ladder on cold JVMs); null when there was none, or in results written
     *               before it was kept
     */
    public record HttpLadder(String mode, String description, List<HttpStep> steps, Integer maxSustainableRate,
                             HttpStep warmup) {
        public HttpStep at(int rate) {
            return steps.stream().filter(s -> s.offeredRate() == rate).findFirst().orElse(null);
        }
    }

    /**
     * Resident set size (VmRSS) of one app's own JVM, in kB: idle after start, and the highest sample (every
     * 250 ms) under the HTTP load and during the drain; -1 where not measured.
     */
    public record Memory(String app, long restKb, long httpLoadMaxKb, long drainMaxKb, List<String> jvmOptions) {
    }

    /**
     * One point of the growth sweep: one setting of one dimension, every other at its default. Measured with the
     * processors running before the commands are produced, from the end of the preload to the last outcome.
     *
     * @param hotShare share of the commands on the hot rows ({@code hotFraction} of each table)
     * @param fieldsPerPatch 0 for the default mix of one to three
     * @param latencyMillis end-to-end latency at {@code latencyRate} (half the drain rate; a tenth for {@code join}), from
     *                      the load generator's JVM
     * @param rssMaxKb highest resident size of one processor JVM during the drain
     * @param rebalance for the {@code join} dimension, what a second processor's join and leave cost; else null
     */
    public record GrowthPoint(String dimension, String value, int resources, double hotShare, double hotFraction,
                              int fieldsPerPatch, int batchSize, int partitions, int instances, long commands,
                              long measuredCommands, double seconds, double commandsPerSecond, Statuses statuses,
                              boolean consistent, CpuPerCommand cpuMillisPerCommand, double latencyRate,
                              Distribution latencyMillis, long rssMaxKb, Rebalance rebalance) {

        /** The same measurement, shown as a point of another dimension (the default setting is measured once). */
        public GrowthPoint as(String otherDimension, String otherValue) {
            return new GrowthPoint(otherDimension, otherValue, resources, hotShare, hotFraction, fieldsPerPatch, batchSize,
                    partitions, instances, commands, measuredCommands, seconds, commandsPerSecond, statuses, consistent,
                    cpuMillisPerCommand, latencyRate, latencyMillis, rssMaxKb, rebalance);
        }
    }

    /**
     * A second processor joining and leaving during a growth point's latency step (the {@code join} dimension).
     *
     * @param assignor the group's partition assignor ({@code partition.assignment.strategy})
     * @param joinSeconds from the second processor's start until the group was stable with both (its JVM's start included)
     * @param leaveSeconds from its stop until the group was stable with the first alone
     * @param records commands of the measured step
     * @param delayed those answered later than 100 ms after they were due, or not at all
     * @param delayedInJoin those of them due between the second processor's start and a second after the join
     * @param delayedInLeave those due between its stop and a second after the group was stable again
     */
    public record Rebalance(String assignor, double joinSeconds, double leaveSeconds, long records, long delayed,
                            long delayedInJoin, long delayedInLeave) {
    }

    /** A growth sweep ({@code --growth}). */
    public record GrowthRun(String startedAt, double seconds, Machine machine, Map<String, Object> options,
                            List<GrowthPoint> points, List<String> charts) {
    }

    /**
     * CPU an app uses while idle (no requests, no commands), as a percentage of one core.
     *
     * @param seconds how long it was watched
     */
    public record IdleCpu(String app, double percentOfCore, double seconds) {
    }

    /**
     * The two-adapter step: synchronous PATCHes alternating between two adapter JVMs at one rate.
     *
     * @param step the step, its CPU per request by part ({@code adapter-1}, {@code adapter-2}, processor, PostgreSQL)
     */
    public record TwoAdapters(HttpStep step, List<AdapterReplies> adapters) {
    }

    /**
     * One adapter of the two-adapter step.
     *
     * @param requests requests sent to it
     * @param decoded outcomes it decoded during the step (those of its own requests it waited for)
     * @param skipped replies it read but did not decode (another instance's, or no longer waited for)
     */
    public record AdapterReplies(String adapter, long requests, long decoded, long skipped) {
    }

    /** One of the targets and whether this run met it. */
    public record Target(String target, String measured, Boolean met) {
    }

    /** The machine a run happened on, and how busy it was. */
    public record Machine(String cpu, int cores, long memoryMb, String os, String java, String loadAverageAtStart,
                          String loadAverageAtEnd) {
    }

    /** The whole run. */
    public record Run(String startedAt, double seconds, Machine machine, Map<String, Object> options,
                      Throughput rawDatabase, Drain processor, Throughput naiveConsumer, Peer peer,
                      List<LatencyLadder> latency, Map<String, Double> ratios, List<HttpLadder> http, List<Memory> memory,
                      List<IdleCpu> idleCpu, TwoAdapters twoAdapters, List<Target> targets, List<String> charts,
                      WrongSecretBench.Result authentication) {

        /** The latency ladder of {@code implementation}, if measured. */
        public LatencyLadder latencyOf(String implementation) {
            return latency.stream().filter(l -> l.implementation().equals(implementation)).findFirst().orElse(null);
        }
    }
}
