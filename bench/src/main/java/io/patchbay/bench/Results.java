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
        static Distribution ofMicros(Histogram h) {
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
        static CpuPerCommand of(double appSeconds, String appScope, double databaseSeconds, long commands) {
            return new CpuPerCommand(appSeconds < 0 ? -1 : appSeconds * 1000 / commands, appScope,
                    databaseSeconds < 0 ? -1 : databaseSeconds * 1000 / commands);
        }
    }

    /** A run of commands through one implementation. */
    public record Throughput(String implementation, long commands, double seconds, double commandsPerSecond,
                             Statuses statuses, Verification verification, CpuPerCommand cpuMillisPerCommand, String note) {
    }

    /** The processor drain: preloaded backlog to the last published outcome. */
    public record Drain(long commands, long outcomes, double preloadSeconds, double firstToLastOutcomeSeconds,
                        double launchToLastOutcomeSeconds, double commandsPerSecond, Statuses statuses,
                        Verification verification, CpuPerCommand cpuMillisPerCommand, long processorRssMaxKb) {
    }

    /** Commands produced on a fixed schedule while the processor runs; latency from the scheduled send to the outcome. */
    public record SteadyLatency(double offeredRate, long sent, long received, double seconds, Distribution latencyMillis) {
    }

    /** One rate of an HTTP ladder. */
    public record HttpStep(int offeredRate, long sent, long ok, long failed, long timedOut, double achievedRate,
                           Distribution latencyMillis, boolean sustainable, Map<String, Long> responses,
                           double cpuMillisPerRequest, Map<String, Double> cpuMillisPerRequestByPart) {

        /** This step with the CPU its service spent per answered request (-1: unknown), in total and by part. */
        public HttpStep withCpuMillisPerRequest(double millis, Map<String, Double> byPart) {
            return new HttpStep(offeredRate, sent, ok, failed, timedOut, achievedRate, latencyMillis, sustainable, responses,
                    millis, byPart);
        }

        /** Whether the server kept up at all: at least 90% of the offered rate answered, at most 1% failed. */
        public boolean keptUp() {
            return achievedRate >= 0.9 * offeredRate && failed + timedOut <= sent / 100;
        }
    }

    /**
     * One HTTP ladder: a mode at ascending rates until the first it cannot keep up with; the maximum sustainable
     * rate is the highest that also met the p99 bound.
     */
    public record HttpLadder(String mode, String description, List<HttpStep> steps, Integer maxSustainableRate) {
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
     * CPU an app uses while idle (no requests, no commands), as a percentage of one core.
     *
     * @param seconds how long it was watched
     */
    public record IdleCpu(String app, double percentOfCore, double seconds) {
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
                      Throughput rawDatabase, Drain processor, SteadyLatency processorLatency, Throughput naiveConsumer,
                      Map<String, Double> ratios, List<HttpLadder> http, List<Memory> memory, List<IdleCpu> idleCpu,
                      List<Target> targets) {
    }
}
