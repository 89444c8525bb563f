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

    private Report() {
    }

    static Map<String, Double> ratios(Results.Throughput raw, Results.Drain drain, Results.Throughput naive,
                                      List<Results.HttpLadder> http) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (drain != null && naive != null) {
            ratios.put("processorOverNaive", drain.commandsPerSecond() / naive.commandsPerSecond());
        }
        if (drain != null && raw != null) {
            ratios.put("processorOverRawDatabase", drain.commandsPerSecond() / raw.commandsPerSecond());
        }
        Results.HttpLadder sync = ladder(http, "sync");
        Results.HttpLadder async = ladder(http, "async");
        Results.HttpLadder crud = ladder(http, "crud");
        if (async != null && crud != null && crud.maxSustainableRate() != null && async.maxSustainableRate() != null) {
            ratios.put("asyncMaxRateOverCrudMaxRate", async.maxSustainableRate() / (double) crud.maxSustainableRate());
        }
        if (sync != null && crud != null && crud.maxSustainableRate() != null && sync.maxSustainableRate() != null) {
            ratios.put("syncMaxRateOverCrudMaxRate", sync.maxSustainableRate() / (double) crud.maxSustainableRate());
        }
        if (sync != null && crud != null && sync.at(SYNC_TARGET_RATE) != null && crud.at(SYNC_TARGET_RATE) != null) {
            ratios.put("syncP99OverCrudP99At500", sync.at(SYNC_TARGET_RATE).latencyMillis().p99()
                    / crud.at(SYNC_TARGET_RATE).latencyMillis().p99());
        }
        return ratios;
    }

    static List<Results.Target> targets(Results.Drain drain, Results.Throughput raw, Results.Throughput naive,
                                        List<Results.HttpLadder> http, Map<String, Double> ratios) {
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
                        : String.format(Locale.ROOT, "p99 %.1f ms (p50 %.1f, p99.9 %.1f; %d of %d failed)",
                                at500.latencyMillis().p99(), at500.latencyMillis().p50(), at500.latencyMillis().p999(),
                                at500.failed() + at500.timedOut(), at500.sent()),
                sync == null ? null : at500 != null && at500.latencyMillis().p99() <= SYNC_TARGET_P99_MS));
        Results.HttpLadder async = ladder(http, "async");
        Results.HttpLadder crud = ladder(http, "crud");
        targets.add(new Results.Target("asynchronous PATCH sustains at least the direct CRUD baseline's maximum rate",
                async == null || crud == null ? "not measured"
                        : String.format(Locale.ROOT, "async %s/s vs CRUD %s/s%s", max(async), max(crud),
                                exhausted(async) && exhausted(crud) ? " (both sustained the highest offered rate)" : ""),
                async == null || crud == null ? null
                        : orZero(async.maxSustainableRate()) >= orZero(crud.maxSustainableRate())));
        return targets;
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
        }
        if (run.naiveConsumer() != null) {
            s.append(throughputRow("naive consumer", run.naiveConsumer().commands(), run.naiveConsumer().seconds(),
                    run.naiveConsumer().commandsPerSecond(), run.naiveConsumer().statuses(), run.naiveConsumer().verification(),
                    run.naiveConsumer().cpuMillisPerCommand()));
        }
        if (run.processorLatency() != null) {
            Results.SteadyLatency l = run.processorLatency();
            s.append(String.format(Locale.ROOT, "%nprocessor end-to-end latency at %.0f commands/s (%d sent, %d answered):"
                            + " p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f ms%n", l.offeredRate(), l.sent(), l.received(),
                    l.latencyMillis().p50(), l.latencyMillis().p90(), l.latencyMillis().p99(), l.latencyMillis().p999(),
                    l.latencyMillis().max()));
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
                }
                s.append(String.format(Locale.ROOT, "%-6s max sustainable rate: %s/s%s%n", ladder.mode(), max(ladder),
                        exhausted(ladder) ? " (highest rate offered)" : ""));
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
        if (!run.ratios().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nratios:%n"));
            run.ratios().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-30s %8.2f%n", k, v)));
        }
        s.append(String.format(Locale.ROOT, "%ntargets:%n"));
        for (Results.Target t : run.targets()) {
            s.append(String.format(Locale.ROOT, "  [%s] %s: %s%n", t.met() == null ? "n/a " : t.met() ? "met " : "MISS",
                    t.target(), t.measured()));
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

    private static String millis(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String mb(long kb) {
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
