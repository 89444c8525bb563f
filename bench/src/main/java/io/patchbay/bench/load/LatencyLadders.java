package io.patchbay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.patchbay.bench.AppProcess;
import io.patchbay.bench.BenchOptions;
import io.patchbay.bench.Databases;
import io.patchbay.bench.JavaCommand;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.bench.Progress;
import io.patchbay.bench.Results;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency under load: the {@link LoadGenerator} in its own JVM offers an implementation fixed rates, each a
 * fraction of the drain rate measured for it in the same run, and reports the latency distribution at each.
 */
public final class LatencyLadders {

    /** The rates of a ladder, as fractions of the implementation's drain rate. */
    public static final List<Double> FRACTIONS = List.of(0.1, 0.3, 0.5, 0.7, 0.9);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LatencyLadders() {
    }

    /**
     * The load generator's own JVM options, chosen so that the generator does not stall the latency it measures
     * (BENCHMARKS.md, "The latency tail, explained"): C1 only, because C2 compiling the generator took most of a core
     * of the two while the processor was measured; a fixed heap, touched at start, whose 640 MiB young generation
     * holds a whole step's garbage, so that with the collection before each step ({@link LoadGenerator}) no pause falls
     * inside one (G1 with the default sizing paused it for up to 43 ms per young collection, copying the step's
     * prepared commands).
     */
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-Xmn640m", "-XX:+AlwaysPreTouch",
            "-XX:TieredStopAtLevel=1");

    /**
     * The generator's JVM options in {@code --smoke}, which measures nothing: C1 only, a heap that grows as it is used,
     * because touching 1 GiB at start costs this machine about 2 s of a core per ladder.
     */
    static final List<String> SMOKE_JVM_OPTIONS = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1");

    /**
     * {@link #JVM_OPTIONS} ({@link #SMOKE_JVM_OPTIONS} for a {@code smoke} run), then those of the benchmark JVM's
     * system property {@code patchbay.bench.load-jvm-opts} (space-separated, after them, so that they win: GC and
     * safepoint logs of the generator, or other settings for a comparison).
     */
    static List<String> jvmOptions(boolean smoke) {
        List<String> jvm = new ArrayList<>(smoke ? SMOKE_JVM_OPTIONS : JVM_OPTIONS);
        String extra = System.getProperty("patchbay.bench.load-jvm-opts", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        return jvm;
    }

    /** The timeline of {@code implementation}'s last ladder in {@code logs}: each record's due time and latency. */
    public static Path timeline(Path logs, String implementation) {
        return logs.resolve("latency-" + fileName(implementation) + ".json.timeline.csv");
    }

    private static String fileName(String implementation) {
        return implementation.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    }

    /**
     * Runs one ladder, {@code options}' seconds per rate and generator linger, after writing out what earlier phases
     * left in {@code databases}' server and the page cache ({@link Databases#settleWrites}). {@code source} holds the
     * generator's settings for its mode ({@code mode}, {@code bootstrap}, and {@code registry}, {@code topic-prefix},
     * {@code resources} for commands or {@code jdbc-url} for rows).
     */
    public static Results.LatencyLadder run(String implementation, double drainRate, List<Double> fractions,
                                            BenchOptions options, Databases databases, Map<String, String> source,
                                            Path logs, Progress progress) {
        double seconds = options.latencySeconds();
        List<Long> rates = fractions.stream().map(f -> Math.max(1, Math.round(drainRate * f))).toList();
        String name = fileName(implementation);
        Path out = logs.resolve("latency-" + name + ".json");
        List<String> args = new ArrayList<>();
        source.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--rates=" + rates.stream().map(String::valueOf).collect(Collectors.joining(",")));
        args.add("--fractions=" + fractions.stream().map(String::valueOf).collect(Collectors.joining(",")));
        args.add("--seconds=" + seconds);
        // the first step once unmeasured: the generator's and the implementation's JIT and clients settle, so the first
        // measured step is not the one that pays the compilers of JVMs a minute old (BENCHMARKS.md, the latency tail)
        args.add("--warmup-seconds=" + seconds);
        args.add("--linger-ms=" + options.latencyLingerMillis());
        args.add("--out=" + out);
        progress.phase(String.format(Locale.ROOT, "latency: %s at %s/s", implementation, rates), 0, () -> 0);
        try {
            Files.createDirectories(logs);
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        databases.settleWrites();
        try (AppProcess generator = AppProcess.startJava("load-" + name,
                JavaCommand.of(LoadGenerator.class, jvmOptions(options.smoke()), args), logs, "load generator ready",
                Duration.ofSeconds(120))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) ((fractions.size() + 1) * (seconds + 35) + 60));
            while (!Files.exists(out) && generator.isAlive() && System.nanoTime() < deadline) {
                ProcessorBench.sleep(200);
            }
            if (!Files.exists(out)) {
                throw new IllegalStateException("the load generator wrote no result; see " + generator.log());
            }
            List<Results.SteadyLatency> steps = JSON.readValue(out.toFile(), new TypeReference<List<Results.SteadyLatency>>() { });
            for (Results.SteadyLatency step : steps) {
                progress.note(String.format(Locale.ROOT, "%s latency at %.0f/s (%.0f%% of drain): p50 %.1f ms, p99 %.1f ms,"
                                + " %d of %d answered%s", implementation, step.offeredRate(), step.fractionOfDrain() * 100,
                        step.latencyMillis().p50(), step.latencyMillis().p99(), step.received(), step.sent(),
                        step.untilProducedMillis() == null ? "" : String.format(Locale.ROOT, "; until produced p50 %.1f ms, p99 %.1f ms",
                                step.untilProducedMillis().p50(), step.untilProducedMillis().p99())));
            }
            return new Results.LatencyLadder(implementation, drainRate, steps);
        }
    }

}
