package io.patchbay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Ratios, the targets and the summary table of a run. */
public final class Report {

    static final int SYNC_TARGET_RATE = 500;
    static final double SYNC_TARGET_P99_MS = 25;
    static final double PEER_TARGET_PER_CPU = 1.5;
    static final double LATENCY_TARGET_FRACTION = 0.5;

    private Report() {
    }

    static Map<String, Double> ratios(Results.Throughput raw, Results.Drain drain, Results.Throughput naive,
                                      Results.Peer peer, List<Results.HttpLadder> http) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (drain != null && naive != null) {
            ratios.put("processorOverNaive", drain.commandsPerSecond() / naive.commandsPerSecond());
        }
        if (drain != null && raw != null) {
            ratios.put("processorOverRawDatabase", drain.commandsPerSecond() / raw.commandsPerSecond());
        }
        Results.SinkRun sink = bestSink(peer);
        if (drain != null && sink != null) {
            ratios.put("processorOverSinkPerCpu", changesPerCpuSecond(drain) / perCpuSecond(sink.cpuMillisPerRecord()));
            ratios.put("processorOverSinkRate", changesPerSecond(drain) / sink.recordsPerSecond());
            putIfKnown(ratios, "processorOverSinkPerCpuExcludingJit",
                    changesPer(drain, perCpuSecondExcludingJit(drain.cpuMillisPerCommand(), drain.appCpuMillisPerCommandByThreadGroup())),
                    perCpuSecondExcludingJit(sink.cpuMillisPerRecord(), sink.appCpuMillisPerRecordByThreadGroup()));
            if (drain.secondHalf() != null && sink.secondHalf() != null) {
                Results.Window p = drain.secondHalf();
                Results.Window k = sink.secondHalf();
                putIfKnown(ratios, "processorOverSinkPerCpuSecondHalf", changesPer(drain, perCpuSecond(p.cpuMillisPerUnit())),
                        perCpuSecond(k.cpuMillisPerUnit()));
                putIfKnown(ratios, "processorOverSinkPerCpuSecondHalfExcludingJit",
                        changesPer(drain, perCpuSecondExcludingJit(p.cpuMillisPerUnit(), p.appCpuMillisByThreadGroup())),
                        perCpuSecondExcludingJit(k.cpuMillisPerUnit(), k.appCpuMillisByThreadGroup()));
            }
        }
        Results.HttpLadder sync = ladder(http, "sync");
        Results.HttpLadder async = ladder(http, "async");
        Results.HttpLadder crud = ladder(http, "crud");
        putRateRatio(ratios, "asyncMaxRateOverCrudMaxRate", async, crud);
        putRateRatio(ratios, "syncMaxRateOverCrudMaxRate", sync, crud);
        if (sync != null && crud != null && sync.at(SYNC_TARGET_RATE) != null && crud.at(SYNC_TARGET_RATE) != null) {
            ratios.put("syncP99OverCrudP99At500", sync.at(SYNC_TARGET_RATE).latencyMillis().p99()
                    / crud.at(SYNC_TARGET_RATE).latencyMillis().p99());
        }
        Results.HttpLadder relaySync = ladder(http, "relay-sync");
        Results.HttpLadder relayAsync = ladder(http, "relay-async");
        if (sync != null && relaySync != null && sync.at(SYNC_TARGET_RATE) != null && relaySync.at(SYNC_TARGET_RATE) != null) {
            ratios.put("syncP99OverRelaySyncP99At500", sync.at(SYNC_TARGET_RATE).latencyMillis().p99()
                    / relaySync.at(SYNC_TARGET_RATE).latencyMillis().p99());
        }
        putRateRatio(ratios, "asyncMaxRateOverRelayAsyncMaxRate", async, relayAsync);
        putRateRatio(ratios, "relayAsyncMaxRateOverCrudMaxRate", relayAsync, crud);
        return ratios;
    }

    private static void putRateRatio(Map<String, Double> ratios, String name, Results.HttpLadder over, Results.HttpLadder under) {
        if (over != null && under != null && over.maxSustainableRate() != null && under.maxSustainableRate() != null) {
            ratios.put(name, over.maxSustainableRate() / (double) under.maxSustainableRate());
        }
    }

    /** The sink configuration with the most records per CPU second (the one the processor is held against). */
    static Results.SinkRun bestSink(Results.Peer peer) {
        if (peer == null) {
            return null;
        }
        return peer.runs().stream().filter(r -> perCpuSecond(r.cpuMillisPerRecord()) > 0)
                .max(java.util.Comparator.comparingDouble(r -> perCpuSecond(r.cpuMillisPerRecord()))).orElse(null);
    }

    /** Records per CPU second of the implementation's process and PostgreSQL together; -1 where unknown. */
    static double perCpuSecond(Results.CpuPerCommand cpu) {
        return cpu.app() < 0 || cpu.database() < 0 ? -1 : 1000 / (cpu.app() + cpu.database());
    }

    /**
     * Records per CPU second as {@link #perCpuSecond}, without the JVM's JIT compiler threads; -1 where unknown.
     */
    static double perCpuSecondExcludingJit(Results.CpuPerCommand cpu, Map<String, Double> threadGroups) {
        Double jit = threadGroups == null ? null : threadGroups.get(ThreadGroupCpu.JIT);
        return jit == null || cpu.app() < 0 || cpu.database() < 0 ? -1 : 1000 / (cpu.app() - jit + cpu.database());
    }

    /**
     * The processor's applied changes per CPU second from its commands per CPU second, charged as in
     * {@link #changesPerCpuSecond} (a window's applied share taken as the whole drain's); -1 where unknown.
     */
    static double changesPer(Results.Drain drain, double commandsPerCpuSecond) {
        return commandsPerCpuSecond < 0 ? -1 : commandsPerCpuSecond * drain.statuses().applied() / drain.commands();
    }

    private static void putIfKnown(Map<String, Double> ratios, String name, double processor, double sink) {
        if (processor > 0 && sink > 0) {
            ratios.put(name, processor / sink);
        }
    }

    /**
     * The processor's applied changes per CPU second: the CPU it spent on every command (applied, unchanged,
     * rejected) charged to the applied ones only, which are what the sink is given.
     */
    static double changesPerCpuSecond(Results.Drain drain) {
        return perCpuSecond(drain.cpuMillisPerCommand()) * drain.statuses().applied() / drain.commands();
    }

    static double changesPerSecond(Results.Drain drain) {
        return drain.commandsPerSecond() * drain.statuses().applied() / drain.commands();
    }

    static List<Results.Target> targets(Results.Run run, int sloP99Millis) {
        Results.Drain drain = run.processor();
        Results.Throughput raw = run.rawDatabase();
        Results.Throughput naive = run.naiveConsumer();
        List<Results.HttpLadder> http = run.http();
        Map<String, Double> ratios = run.ratios();
        List<Results.Target> targets = new ArrayList<>();
        Double overNaive = ratios.get("processorOverNaive");
        targets.add(new Results.Target("processor >= 10x the naive consumer",
                overNaive == null ? "not measured" : String.format(Locale.ROOT, "%.1fx (%,.0f vs %,.0f commands/s)",
                        overNaive, drain.commandsPerSecond(), naive.commandsPerSecond()),
                overNaive == null ? null : overNaive >= 10));
        Double overRaw = ratios.get("processorOverRawDatabase");
        targets.add(new Results.Target("processor >= 60% of the raw database limit",
                overRaw == null ? "not measured" : String.format(Locale.ROOT, "%.0f%% (%,.0f vs %,.0f commands/s)",
                        overRaw * 100, drain.commandsPerSecond(), raw.commandsPerSecond()),
                overRaw == null ? null : overRaw >= 0.6));
        Results.HttpLadder sync = ladder(http, "sync");
        Results.HttpStep at500 = sync == null ? null : sync.at(SYNC_TARGET_RATE);
        targets.add(new Results.Target("synchronous PATCH p99 <= 25 ms at 500 requests/s",
                sync == null ? "not measured"
                        : at500 == null ? "500/s not reached (ladder: " + rates(sync) + ")"
                        : String.format(Locale.ROOT, "p99 %.1f ms (p50 %.1f, p99.9 %.1f; %d of %d failed)%s",
                                at500.latencyMillis().p99(), at500.latencyMillis().p50(), at500.latencyMillis().p999(),
                                at500.failed() + at500.timedOut(), at500.sent(), relayP99(ladder(http, "relay-sync"))),
                sync == null ? null : at500 != null && at500.latencyMillis().p99() <= SYNC_TARGET_P99_MS));
        Results.HttpLadder async = ladder(http, "async");
        Results.HttpLadder crud = ladder(http, "crud");
        targets.add(new Results.Target("asynchronous PATCH sustains at least the direct CRUD baseline's maximum rate",
                async == null || crud == null ? "not measured"
                        : String.format(Locale.ROOT, "async %s/s vs CRUD %s/s%s%s", max(async), max(crud),
                                exhausted(async) && exhausted(crud) ? " (both sustained the highest offered rate)" : "",
                                ladder(http, "relay-async") == null ? ""
                                        : "; Kafka relay baseline " + max(ladder(http, "relay-async")) + "/s"),
                async == null || crud == null ? null
                        : orZero(async.maxSustainableRate()) >= orZero(crud.maxSustainableRate())));
        Double overSink = ratios.get("processorOverSinkPerCpu");
        Results.SinkRun sink = bestSink(run.peer());
        targets.add(new Results.Target("processor >= 1.5x the Debezium JDBC sink's applied changes per CPU second",
                overSink == null ? "not measured" : String.format(Locale.ROOT,
                        "%.2fx (%,.0f vs %,.0f changes per CPU second; sink configuration %s)", overSink,
                        changesPerCpuSecond(drain), perCpuSecond(sink.cpuMillisPerRecord()), sink.configuration()),
                overSink == null ? null : overSink >= PEER_TARGET_PER_CPU));
        Results.LatencyLadder latency = run.latencyOf(Bench.PROCESSOR);
        List<Results.SteadyLatency> upToHalf = latency == null ? List.of() : latency.steps().stream()
                .filter(st -> st.fractionOfDrain() <= LATENCY_TARGET_FRACTION + 1e-9).toList();
        targets.add(new Results.Target("processor end-to-end p99 <= " + sloP99Millis + " ms up to 50% of its drain rate",
                upToHalf.isEmpty() ? "not measured" : upToHalf.stream().map(st -> String.format(Locale.ROOT,
                        "p99 %.1f ms at %.0f/s (%.0f%%)", st.latencyMillis().p99(), st.offeredRate(), st.fractionOfDrain() * 100))
                        .collect(java.util.stream.Collectors.joining("; ")),
                upToHalf.isEmpty() ? null : upToHalf.stream().allMatch(st -> st.within(sloP99Millis))));
        return targets;
    }

    /** The Kafka relay baseline's p99 at the synchronous target's rate, as a clause of that target's result. */
    private static String relayP99(Results.HttpLadder relaySync) {
        Results.HttpStep step = relaySync == null ? null : relaySync.at(SYNC_TARGET_RATE);
        return relaySync == null ? "" : step == null ? "; Kafka relay baseline: 500/s not reached"
                : String.format(Locale.ROOT, "; Kafka relay baseline p99 %.1f ms (p50 %.1f)", step.latencyMillis().p99(),
                step.latencyMillis().p50());
    }

    static String table(Results.Run run) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n== patchbay benchmark (%s, %.0f s) ==%n", run.startedAt(), run.seconds()));
        Results.Machine m = run.machine();
        s.append(String.format(Locale.ROOT, "machine: %s, %d cores, %,d MB, %s, %s%n", m.cpu(), m.cores(), m.memoryMb(), m.os(),
                m.java()));
        s.append(String.format(Locale.ROOT, "load average (1/5/15 min): %s at start, %s at end%n%n", m.loadAverageAtStart(),
                m.loadAverageAtEnd()));
        s.append(String.format(Locale.ROOT, "%-26s %10s %9s %12s %10s %10s %10s %11s %11s  %s%n", "processing", "commands",
                "seconds", "commands/s", "applied", "unchanged", "rejected", "app CPU ms", "db CPU ms", "consistent"));
        if (run.rawDatabase() != null) {
            s.append(throughputRow("raw database limit", run.rawDatabase().commands(), run.rawDatabase().seconds(),
                    run.rawDatabase().commandsPerSecond(), run.rawDatabase().statuses(), run.rawDatabase().verification(),
                    run.rawDatabase().cpuMillisPerCommand()));
        }
        if (run.processor() != null) {
            Results.Drain d = run.processor();
            s.append(throughputRow("processor (drain)", d.commands(), d.firstToLastOutcomeSeconds(), d.commandsPerSecond(),
                    d.statuses(), d.verification(), d.cpuMillisPerCommand()));
            s.append(warmth("commands", d.appCpuMillisPerCommandByThreadGroup(), d.secondHalf(), d.commands()));
        }
        if (run.naiveConsumer() != null) {
            s.append(throughputRow("naive consumer", run.naiveConsumer().commands(), run.naiveConsumer().seconds(),
                    run.naiveConsumer().commandsPerSecond(), run.naiveConsumer().statuses(), run.naiveConsumer().verification(),
                    run.naiveConsumer().cpuMillisPerCommand()));
        }
        if (run.peer() != null) {
            s.append(String.format(Locale.ROOT, "%n%-28s %10s %9s %12s %11s %11s %11s  %s%n", "Debezium JDBC sink", "records",
                    "seconds", "records/s", "app CPU ms", "db CPU ms", "RSS MB", "same rows"));
            for (Results.SinkRun r : run.peer().runs()) {
                s.append(String.format(Locale.ROOT, "%-28s %,10d %9.2f %,12.0f %11s %11s %11s  %s%n", r.configuration(),
                        r.records(), r.seconds(), r.recordsPerSecond(), millis(r.cpuMillisPerRecord().app()),
                        millis(r.cpuMillisPerRecord().database()), mb(r.rssMaxKb()),
                        r.sameRowsAsProcessor() ? "yes" : "NO: " + r.firstDifference()));
                s.append(warmth("records", r.appCpuMillisPerRecordByThreadGroup(), r.secondHalf(), r.records()));
            }
        }
        for (Results.LatencyLadder ladder : run.latency()) {
            s.append(String.format(Locale.ROOT, "%nlatency under load, %s (drain rate %,.0f/s; load generator in its own JVM)%n",
                    ladder.implementation(), ladder.drainRate()));
            s.append(String.format(Locale.ROOT, "%9s %9s %8s %8s %9s %9s %9s %9s %9s %14s%n", "of drain", "offered/s", "sent",
                    "answered", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "produced p50/p99"));
            for (Results.SteadyLatency l : ladder.steps()) {
                Results.Distribution produced = l.untilProducedMillis();
                s.append(String.format(Locale.ROOT, "%8.0f%% %9.0f %8d %8d %9.1f %9.1f %9.1f %9.1f %9.1f %14s%n",
                        l.fractionOfDrain() * 100, l.offeredRate(), l.sent(), l.received(), l.latencyMillis().p50(),
                        l.latencyMillis().p90(), l.latencyMillis().p99(), l.latencyMillis().p999(), l.latencyMillis().max(),
                        produced == null ? "-" : String.format(Locale.ROOT, "%.1f/%.1f", produced.p50(), produced.p99())));
            }
        }
        if (!run.http().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n%-6s %8s %8s %8s %8s %9s %9s %9s %9s %10s  %s%n", "HTTP", "offered", "sent",
                    "failed", "achieved", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "CPU ms/req", "sustained"));
            for (Results.HttpLadder ladder : run.http()) {
                for (Results.HttpStep step : ladder.steps()) {
                    s.append(String.format(Locale.ROOT, "%-6s %8d %8d %8d %8.0f %9.2f %9.2f %9.2f %9.1f %10s  %s%n", ladder.mode(),
                            step.offeredRate(), step.sent(), step.failed() + step.timedOut(), step.achievedRate(),
                            step.latencyMillis().p50(), step.latencyMillis().p99(), step.latencyMillis().p999(),
                            step.latencyMillis().max(), millis(step.cpuMillisPerRequest()), step.sustainable() ? "yes" : step.keptUp() ? "NO (p99)" : "NO (behind)"));
                    if (!step.cpuMillisPerRequestByPart().isEmpty()) {
                        s.append(String.format(Locale.ROOT, "%-6s %8s CPU ms/request by part:%s%n", "", "", parts(step.cpuMillisPerRequestByPart())));
                    }
                    if (step.cpuMillisPerRequestByThreadGroup() != null && !step.cpuMillisPerRequestByThreadGroup().isEmpty()) {
                        s.append(String.format(Locale.ROOT, "%-6s %8s CPU ms/request by thread group:%s%n", "", "",
                                threadGroups(step.cpuMillisPerRequestByThreadGroup())));
                    }
                }
                s.append(String.format(Locale.ROOT, "%-6s max sustainable rate: %s/s%s%n", ladder.mode(), max(ladder),
                        exhausted(ladder) ? " (highest rate offered)" : ""));
            }
        }
        if (run.twoAdapters() != null) {
            Results.HttpStep step = run.twoAdapters().step();
            s.append(String.format(Locale.ROOT, "%ntwo adapters, synchronous PATCH alternating between them: %d/s offered, %.0f/s"
                            + " answered, %d failed, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, CPU %s ms/request%n", step.offeredRate(),
                    step.achievedRate(), step.failed() + step.timedOut(), step.latencyMillis().p50(), step.latencyMillis().p99(),
                    step.latencyMillis().p999(), millis(step.cpuMillisPerRequest())));
            s.append(String.format(Locale.ROOT, "  CPU ms/request by part:%s%n", parts(step.cpuMillisPerRequestByPart())));
            for (Results.AdapterReplies adapter : run.twoAdapters().adapters()) {
                s.append(String.format(Locale.ROOT, "  %s: %d requests, %d outcomes decoded, %d replies read without decoding%n",
                        adapter.adapter(), adapter.requests(), adapter.decoded(), adapter.skipped()));
            }
        }
        if (!run.memory().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n%-10s %12s %16s %14s  %s%n", "RSS", "at rest MB", "HTTP load max MB",
                    "drain max MB", "JVM options"));
            for (Results.Memory mem : run.memory()) {
                s.append(String.format(Locale.ROOT, "%-10s %12s %16s %14s  %s%n", mem.app(), mb(mem.restKb()),
                        mb(mem.httpLoadMaxKb()), mb(mem.drainMaxKb()), String.join(" ", mem.jvmOptions())));
            }
        }
        if (!run.idleCpu().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nidle CPU (%% of one core):"));
            run.idleCpu().forEach(idle -> s.append(String.format(Locale.ROOT, "  %s %.2f%%", idle.app(), idle.percentOfCore())));
            s.append(String.format(Locale.ROOT, "  (over %.0f s)%n", run.idleCpu().get(0).seconds()));
        }
        if (run.authentication() != null) {
            s.append(WrongSecretBench.table(run.authentication()));
        }
        if (!run.ratios().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nratios:%n"));
            run.ratios().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-46s %8.2f%n", k, v)));
        }
        if (!run.charts().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%ncharts:%n"));
            run.charts().forEach(c -> s.append("  ").append(c).append(System.lineSeparator()));
        }
        s.append(String.format(Locale.ROOT, "%ntargets:%n"));
        for (Results.Target t : run.targets()) {
            s.append(String.format(Locale.ROOT, "  [%s] %s: %s%n", t.met() == null ? "n/a " : t.met() ? "met " : "MISS",
                    t.target(), t.measured()));
        }
        return s.toString();
    }

    /** The growth sweep's table: one line per point. */
    static String growthTable(Results.GrowthRun run) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n== patchbay growth sweep (%s, %.0f s) ==%n", run.startedAt(), run.seconds()));
        s.append(String.format(Locale.ROOT, "load average (1/5/15 min): %s at start, %s at end%n%n",
                run.machine().loadAverageAtStart(), run.machine().loadAverageAtEnd()));
        s.append(String.format(Locale.ROOT, "%-11s %-12s %11s %9s %12s %10s %10s %9s %9s %9s %8s  %s%n", "dimension", "value",
                "rows", "measured", "commands/s", "app CPU ms", "db CPU ms", "at /s", "p50 ms", "p99 ms", "RSS MB",
                "consistent"));
        for (Results.GrowthPoint p : run.points()) {
            s.append(String.format(Locale.ROOT, "%-11s %-12s %,11d %,9d %,12.0f %10s %10s %9.0f %9.1f %9.1f %8s  %s%n",
                    p.dimension(), p.value(), p.resources(), p.measuredCommands(), p.commandsPerSecond(),
                    millis(p.cpuMillisPerCommand().app()), millis(p.cpuMillisPerCommand().database()), p.latencyRate(),
                    p.latencyMillis() == null ? -1 : p.latencyMillis().p50(), p.latencyMillis() == null ? -1 : p.latencyMillis().p99(),
                    mb(p.rssMaxKb()), p.consistent() ? "yes" : "NO"));
        }
        for (Results.GrowthPoint p : run.points()) {
            Results.Rebalance r = p.rebalance();
            if (r != null) {
                s.append(String.format(Locale.ROOT, "%s = %s: a second processor joined in %.1f s (its start included) and"
                                + " left in %.1f s; %,d of %,d commands answered later than 100 ms (%,d due in the join, %,d in"
                                + " the leave)%n", p.dimension(), p.value(), r.joinSeconds(), r.leaveSeconds(), r.delayed(),
                        r.records(), r.delayedInJoin(), r.delayedInLeave()));
            }
        }
        if (!run.charts().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%ncharts:%n"));
            run.charts().forEach(c -> s.append("  ").append(c).append(System.lineSeparator()));
        }
        return s.toString();
    }

    /** A drain's JVM CPU by thread group and its second half, two indented lines (empty where not measured). */
    static String warmth(String units, Map<String, Double> byThreadGroup, Results.Window secondHalf, long total) {
        StringBuilder s = new StringBuilder();
        if (byThreadGroup != null && !byThreadGroup.isEmpty()) {
            s.append(String.format(Locale.ROOT, "  whole run, app CPU ms by thread group:%s%n", parts(byThreadGroup).replace("  ", " ")));
        }
        if (secondHalf != null) {
            Results.CpuPerCommand cpu = secondHalf.cpuMillisPerUnit();
            s.append(String.format(Locale.ROOT, "  second half (%,d of %,d %s from %,d): %,.0f/s over %.2f s, app CPU %s ms"
                            + " (%s), db CPU %s ms%n", secondHalf.units(), total, units, secondHalf.fromDone(),
                    secondHalf.perSecond(), secondHalf.seconds(), millis(cpu.app()),
                    parts(secondHalf.appCpuMillisByThreadGroup()).replace("  ", " ").trim(), millis(cpu.database())));
        }
        return s.toString();
    }

    private static String throughputRow(String name, long commands, double seconds, double rate, Results.Statuses st,
                                        Results.Verification v, Results.CpuPerCommand cpu) {
        return String.format(Locale.ROOT, "%-26s %,10d %9.2f %,12.0f %,10d %,10d %,10d %11s %11s  %s%n", name, commands,
                seconds, rate, st.applied(), st.unchanged(), st.rejected(), millis(cpu.app()), millis(cpu.database()),
                v == null ? "-" : v.consistent() ? "yes" : "NO");
    }

    /** A step's CPU per request by part, as {@code "  adapter 1.23  processor 0.45 ..."}. */
    static String parts(java.util.Map<String, Double> byPart) {
        StringBuilder s = new StringBuilder();
        byPart.forEach((part, ms) -> s.append("  ").append(part).append(' ').append(millis(ms)));
        return s.toString();
    }

    /** Each JVM's thread groups, e.g. "  adapter jit 0.100 gc/vm 0.020 work 0.500". */
    static String threadGroups(java.util.Map<String, java.util.Map<String, Double>> byJvm) {
        StringBuilder s = new StringBuilder();
        if (byJvm != null) {
            byJvm.forEach((jvm, groups) -> s.append("  ").append(jvm).append(parts(groups).replace("  ", " ")));
        }
        return s.toString();
    }

    static String millis(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    static String mb(long kb) {
        return kb < 0 ? "-" : String.format(Locale.ROOT, "%.0f", kb / 1024.0);
    }

    static Results.HttpLadder ladder(List<Results.HttpLadder> http, String mode) {
        return http.stream().filter(l -> l.mode().equals(mode)).findFirst().orElse(null);
    }

    private static boolean exhausted(Results.HttpLadder ladder) {
        return !ladder.steps().isEmpty() && ladder.steps().stream().allMatch(Results.HttpStep::sustainable);
    }

    private static String max(Results.HttpLadder ladder) {
        return ladder.maxSustainableRate() == null ? "none of the offered rates" : ladder.maxSustainableRate().toString();
    }

    private static String rates(Results.HttpLadder ladder) {
        return ladder.steps().stream().map(s -> s.offeredRate() + (s.sustainable() ? "" : "!")).toList().toString();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
