package io.patchbay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load generator: request {@code i} of a step is sent at {@code start + i / rate}, whether or
 * not earlier requests have been answered, and its latency is measured from that scheduled time. A server that
 * falls behind therefore shows its queueing in the latencies instead of silently slowing the generator down
 * (no coordinated omission). Every step is bounded in count and time; requests time out after 10 s.
 */
public final class HttpLoad implements AutoCloseable {

    /** How to build request {@code i} of a step, and which status answers it correctly. */
    public interface Requests {
        HttpRequest request(long i);

        int expectedStatus();
    }

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-http-client");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();

    /**
     * One kind of request under test.
     *
     * @param cpu CPU time of everything that serves this mode (its processes or threads and the PostgreSQL
     *            server), part by part
     */
    public record Mode(String name, String description, Requests requests, CpuBreakdown cpu) {
    }

    /**
     * Runs the modes' ladders interleaved: a warm-up of each at {@code warmupRate} (null: the first rate), then rate
     * by rate each mode still keeping up with its load, so that the modes compared at one rate are measured within the same minute. A mode
     * leaves the ladder at its first rate it cannot keep up with ({@link Results.HttpStep#keptUp}); its maximum
     * sustainable rate is the highest rate that met the latency bound too. {@code afterStep} runs after each step
     * (to let queues drain), and a step's CPU per request counts the service's CPU until it has run, so that work
     * a mode leaves queued (respond-async) is charged to it.
     */
    public List<Results.HttpLadder> ladders(List<Mode> modes, List<Integer> rates, double stepSeconds, double warmupSeconds,
                                            Integer warmupRate, int sloP99Millis, Progress progress, Runnable afterStep) {
        Map<String, Results.HttpStep> warmups = new java.util.HashMap<>();
        if (warmupSeconds > 0) {
            for (Mode mode : modes) {
                int rate = warmupRate != null ? warmupRate : rates.get(0);
                Results.HttpStep warmup = step(mode.name() + " warm-up", rate, warmupSeconds, sloP99Millis, mode.requests(), progress);
                warmups.put(mode.name(), warmup);
                progress.note(String.format(Locale.ROOT, "%-6s warm-up %5d/s  sent %6d  ok %6d  failed %4d  answers %s",
                        mode.name(), rate, warmup.sent(), warmup.ok(), warmup.failed() + warmup.timedOut(), warmup.responses()));
                afterStep.run();
            }
        }
        Map<String, List<Results.HttpStep>> steps = new java.util.LinkedHashMap<>();
        Map<String, Integer> max = new java.util.HashMap<>();
        java.util.Set<String> active = new java.util.LinkedHashSet<>();
        modes.forEach(m -> {
            steps.put(m.name(), new ArrayList<>());
            active.add(m.name());
        });
        for (int rate : rates) {
            for (Mode mode : modes) {
                if (!active.contains(mode.name())) {
                    continue;
                }
                double cpuBefore = mode.cpu().chargedSeconds();
                Map<String, Double> partsBefore = mode.cpu().read();
                Map<String, Map<String, Double>> threadsBefore = mode.cpu().readThreadGroups();
                Results.HttpStep measured = step(mode.name(), rate, stepSeconds, sloP99Millis, mode.requests(), progress);
                afterStep.run();
                double cpuAfter = mode.cpu().chargedSeconds();
                Results.HttpStep step = measured.withCpuMillisPerRequest(cpuBefore < 0 || cpuAfter < 0 || measured.ok() == 0
                        ? -1 : (cpuAfter - cpuBefore) * 1000 / measured.ok(),
                        CpuBreakdown.perRequest(partsBefore, mode.cpu().read(), measured.ok()),
                        CpuBreakdown.perRequestByThreadGroup(threadsBefore, mode.cpu().readThreadGroups(), measured.ok()));
                steps.get(mode.name()).add(step);
                progress.note(String.format(Locale.ROOT, "%-6s %5d/s  sent %6d  ok %6d  failed %4d  p50 %7.2f  p99 %8.2f"
                                + "  p99.9 %8.2f ms  %s", mode.name(), rate, step.sent(), step.ok(), step.failed() + step.timedOut(),
                        step.latencyMillis().p50(), step.latencyMillis().p99(), step.latencyMillis().p999(),
                        step.sustainable() ? "sustained" : "NOT sustained") + String.format(Locale.ROOT, "  CPU %.2f ms/request",
                        step.cpuMillisPerRequest()) + Report.parts(step.cpuMillisPerRequestByPart())
                        + Report.threadGroups(step.cpuMillisPerRequestByThreadGroup()));
                if (step.sustainable()) {
                    max.put(mode.name(), rate);
                }
                if (!step.keptUp()) {
                    active.remove(mode.name());
                }
                ProcessorBench.sleep(500);
            }
            if (active.isEmpty()) {
                break;
            }
        }
        return modes.stream().map(m -> new Results.HttpLadder(m.name(), m.description(), steps.get(m.name()),
                max.get(m.name()), warmups.get(m.name()))).toList();
    }

    /** One rate for {@code seconds}. */
    public Results.HttpStep step(String label, int rate, double seconds, int sloP99Millis, Requests requests, Progress progress) {
        int count = (int) Math.max(1, Math.round(rate * seconds));
        Histogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder timedOut = new LongAdder();
        AtomicLong sent = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        Map<String, LongAdder> responses = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(count);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        progress.phase(label + " at " + rate + "/s", count, () -> count - answered.getCount());
        long interval = Math.round(1e9 / rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * interval;
            ProcessorBench.waitUntil(scheduled);
            HttpRequest request = requests.request(i);
            sent.incrementAndGet();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                long now = System.nanoTime();
                synchronized (closed) {
                    if (closed.get()) {
                        return; // counted as unanswered already
                    }
                    histogram.recordValue(Math.max(0, (now - scheduled) / 1000));
                    lastAnswer.accumulateAndGet(now, Math::max);
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        (cause instanceof HttpTimeoutException ? timedOut : failed).increment();
                        responses.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    } else {
                        (response.statusCode() == requests.expectedStatus() ? ok : failed).increment();
                        responses.computeIfAbsent(Integer.toString(response.statusCode()), k -> new LongAdder()).increment();
                    }
                    answered.countDown();
                }
            });
        }
        long waitSeconds = REQUEST_TIMEOUT.toSeconds() + 5;
        try {
            if (!answered.await(waitSeconds, TimeUnit.SECONDS)) {
                synchronized (closed) {
                    closed.set(true);
                    long unanswered = answered.getCount();
                    responses.computeIfAbsent("unanswered", k -> new LongAdder()).add(unanswered);
                    timedOut.add(unanswered);
                    // their latency is at least this long: keep them in the distribution
                    histogram.recordValueWithCount(TimeUnit.SECONDS.toMicros(waitSeconds), unanswered);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double span = Math.max(1e-9, (lastAnswer.get() - start) / 1e9);
        Results.Distribution latency = Results.Distribution.ofMicros(histogram);
        long bad = failed.sum() + timedOut.sum();
        boolean sustainable = bad <= sent.get() / 1000 && latency.p99() <= sloP99Millis;
        Map<String, Long> counts = new TreeMap<>();
        responses.forEach((k, v) -> counts.put(k, v.sum()));
        return new Results.HttpStep(rate, sent.get(), ok.sum(), failed.sum(), timedOut.sum(), ok.sum() / span, latency,
                sustainable, counts, -1, Map.of(), Map.of());
    }

    /**
     * One request after the other, each waited for, for every team's key and both resource types: the first
     * use of a key (slow hash verification) and of a topic (schema registration) happen here, not in a step.
     */
    public void prime(String baseUrl, BenchData data, boolean respondAsync) {
        for (int team = 0; team < BenchData.TEAMS; team++) {
            for (String path : List.of("/api/v1/evaluations/" + BenchData.evaluationId(team),
                    "/api/automations/" + BenchData.automationId(team) + "/")) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + data.key(team, "editor").token())
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"primed\"}"));
                if (respondAsync) {
                    request.header("Prefer", "respond-async");
                }
                try {
                    client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("priming " + baseUrl + path + " failed", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** PATCH requests on random resources of the data set, half evaluations, half automations. */
    public static Requests patches(String baseUrl, BenchData data, boolean respondAsync, long seed, String label) {
        Random random = new Random(seed);
        return new Requests() {
            @Override
            public HttpRequest request(long i) {
                boolean evaluation = random.nextBoolean();
                int index = random.nextInt(evaluation ? data.evaluations() : data.automations());
                BenchData.Key key = data.key(BenchData.teamOf(index), "editor");
                String path;
                String body;
                if (evaluation) {
                    path = "/api/v1/evaluations/" + BenchData.evaluationId(index);
                    body = random.nextInt(5) == 0
                            ? "{\"description\":\"Load test " + label + " " + i + ": raters compare checkout flows.\"}"
                            : "{\"name\":\"Checkout flow " + label + " " + i + "\"}";
                } else {
                    path = "/api/automations/" + BenchData.automationId(index) + "/";
                    body = random.nextInt(5) == 0
                            ? "{\"is_enabled\":" + random.nextBoolean() + "}"
                            : "{\"name\":\"Quality monitor " + label + " " + i + "\"}";
                }
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                        .header("Authorization", "Bearer " + key.token())
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
                if (respondAsync) {
                    builder.header("Prefer", "respond-async");
                }
                return builder.build();
            }

            @Override
            public int expectedStatus() {
                return respondAsync ? 202 : 200;
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
