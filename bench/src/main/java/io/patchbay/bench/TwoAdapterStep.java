package io.patchbay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.patchbay.schemas.Topics;

/**
 * The two-adapter step (issue 11): a second adapter JVM beside the HTTP phase's first, both behind the same open-loop
 * generator (requests alternate between them), synchronous PATCHes at one rate. Each adapter's reply counters
 * ({@code patchbay.adapter.replies}, read from its metrics endpoint) show how many outcomes it decoded (those of its
 * own requests) and how many it read without decoding; with reply routing both stay near its own requests and zero.
 */
final class TwoAdapterStep {

    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    /** Longer than the adapters' {@code server.tomcat.keep-alive-timeout} (60 s). */
    private static final Duration METRICS_DEADLINE = Duration.ofSeconds(120);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Starts the second adapter, primes it, runs the step at {@code rate} and stops it again.
     *
     * @param cpu the CPU parts of the first adapter's setup (processor, PostgreSQL, broker); the adapters are added
     */
    Results.TwoAdapters run(HttpLoad load, Apps apps, String jdbcUrl, Topics topics, BenchData data, AppProcess first,
                            int firstPort, CpuBreakdown cpu, int rate, double seconds, int sloP99Millis, Progress progress,
                            Runnable afterStep) {
        progress.phase("starting a second adapter JVM", 0, () -> 0);
        Apps.Adapter started = apps.startAdapter("adapter-http-2", jdbcUrl, topics);
        try (AppProcess second = started.process()) {
            List<String> bases = List.of("http://127.0.0.1:" + firstPort, "http://127.0.0.1:" + started.port());
            load.prime(bases.get(1), data, false);
            CpuBreakdown parts = CpuBreakdown.of().with("adapter-1", first::cpuSeconds).with("adapter-2", second::cpuSeconds)
                    .with(cpu);
            List<HttpLoad.Requests> each = List.of(HttpLoad.patches(bases.get(0), data, false, 4, "two-1"),
                    HttpLoad.patches(bases.get(1), data, false, 5, "two-2"));
            HttpLoad.Requests alternating = new HttpLoad.Requests() {
                @Override
                public HttpRequest request(long i) {
                    return each.get((int) (i % 2)).request(i / 2);
                }

                @Override
                public int expectedStatus() {
                    return 200;
                }
            };
            long[][] before = {replies(bases.get(0)), replies(bases.get(1))};
            double cpuBefore = parts.chargedSeconds();
            Map<String, Double> partsBefore = parts.read();
            Results.HttpStep measured = load.step("sync, 2 adapters", rate, seconds, sloP99Millis, alternating, progress);
            afterStep.run();
            double cpuAfter = parts.chargedSeconds();
            Results.HttpStep step = measured.withCpuMillisPerRequest(cpuBefore < 0 || cpuAfter < 0 || measured.ok() == 0 ? -1
                    : (cpuAfter - cpuBefore) * 1000 / measured.ok(), CpuBreakdown.perRequest(partsBefore, parts.read(), measured.ok()));
            List<Results.AdapterReplies> adapters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long[] after = replies(bases.get(i));
                adapters.add(new Results.AdapterReplies("adapter-" + (i + 1), (measured.sent() + 1 - i) / 2,
                        after[0] - before[i][0], after[1] - before[i][1]));
            }
            return new Results.TwoAdapters(step, adapters);
        }
    }

    /** The adapter's replies so far: decoded, and read without decoding. */
    private long[] replies(String base) {
        return new long[] {counter(base, "true"), counter(base, "false")};
    }

    /**
     * One reply counter, asked again until {@link #METRICS_DEADLINE}: after a step the generator fell behind in, the
     * first adapter can hold Tomcat's whole {@code max-connections} in the generator's idle kept-alive connections, and
     * accepts a new one only when their keep-alive timeout closes them.
     */
    private long counter(String base, String decoded) {
        URI uri = URI.create(base + "/actuator/metrics/patchbay.adapter.replies?tag=decoded:" + decoded);
        long deadline = System.nanoTime() + METRICS_DEADLINE.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher value = VALUE.matcher(response.body());
                if (response.statusCode() != 200 || !value.find()) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
                }
                return Math.round(Double.parseDouble(value.group(1)));
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(uri + " failed for " + METRICS_DEADLINE.toSeconds() + " s", e);
                }
                ProcessorBench.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
