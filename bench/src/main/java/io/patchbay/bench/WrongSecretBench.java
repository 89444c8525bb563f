package io.patchbay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.jdbi.StorePlugin;

/**
 * The {@code auth} phase: adapter CPU per request that names a real API key with a wrong secret (key ids are public:
 * they are the actor of every change event), against a request without credentials (a 401 that costs no lookup and
 * no hash) in the same run. Measured for a key in the current HMAC format and one in the legacy PBKDF2 format, with
 * the failed-authentication limits off (what a check costs) and as they are by default (what a flood costs). Run it
 * with {@code --adapter-jar} to measure an adapter built before the HMAC format. The smoke run measures the first
 * adapter only.
 */
public final class WrongSecretBench {

    /** The API key pepper of this phase's adapters. */
    static final String PEPPER = BenchData.API_KEY_PEPPER;
    static final String HMAC_KEY = "bench_auth_hmac";
    static final String LEGACY_KEY = "bench_auth_legacy";
    private static final Map<String, Object> LIMITS_OFF = Map.of("patchbay.api.failed-authentication.per-address", 0,
            "patchbay.api.failed-authentication.per-key", 0, "patchbay.api.failed-authentication.legacy-checks-per-second", 0);
    private static final String PATH = "/api/v1/evaluations/" + BenchData.evaluationId(0);

    /** Starts an adapter JVM on the phase's database with extra settings. */
    public interface Adapters {
        Running start(String name, Map<String, Object> settings);
    }

    /** A started adapter and its HTTP port. */
    public record Running(AppProcess process, int port) {
    }

    /**
     * One kind of request against one adapter.
     *
     * @param statuses how many answers had each status
     * @param adapterCpuMillisPerRequest the adapter JVM's CPU per request, its idle rate subtracted
     * @param overNoCredentials that cost over the no-credentials requests' on the same adapter (mean of both steps)
     */
    public record Step(String adapter, String request, long requests, double seconds, Map<Integer, Long> statuses,
                       double adapterCpuMillisPerRequest, double overNoCredentials) {
    }

    /** The phase's result. */
    public record Result(String adapterJar, List<Step> steps) {
    }

    private final boolean smoke;
    private final double maxSeconds;
    private final Random random = new Random(11);

    public WrongSecretBench(boolean smoke) {
        this.smoke = smoke;
        this.maxSeconds = smoke ? 10 : 30;
    }

    /** Seeds a key of each format into {@code jdbcUrl} (a copy of the bench data) and measures. */
    public Result run(BenchData data, String jdbcUrl, String adapterJar, Adapters adapters, Progress progress) {
        ApiKeyHasher hasher = ApiKeyHasher.fromSettings(PEPPER, null);
        Jdbi.create(Databases.dataSource(jdbcUrl)).installPlugin(new StorePlugin()).useHandle(h -> {
            new ApiKeyRepository().insert(h, ApiKeys.mint(hasher, HMAC_KEY, BenchData.team(0), "viewer",
                    List.of("evaluations:read")).record(), "bench");
            new ApiKeyRepository().insert(h, BenchData.legacyKey(new BenchData.Key(LEGACY_KEY, BenchData.team(0), "viewer",
                    "pb." + LEGACY_KEY + ".legacy-secret"), "legacy-secret"), "bench");
        });
        String legacyKey = LEGACY_KEY;
        int fast = smoke ? 200 : 6_000;
        List<Step> steps = new ArrayList<>();
        try (HttpRunner http = new HttpRunner()) {
            steps.addAll(measure("limits off", LIMITS_OFF, fast, smoke ? 10 : 150, legacyKey, adapters, http, progress));
            if (!smoke) {
                steps.addAll(measure("default limits", Map.of(), fast, fast, legacyKey, adapters, http, progress));
            }
        }
        return new Result(adapterJar, steps);
    }

    /**
     * The steps on one adapter: no credentials, a wrong secret for each key format, and no credentials again; the
     * baseline of the ratios is the mean of the two no-credentials steps (the first one may still see some JIT work).
     */
    private List<Step> measure(String name, Map<String, Object> limits, int fast, int legacy, String legacyKey,
                               Adapters adapters, HttpRunner http, Progress progress) {
        Running adapter = adapters.start("adapter-auth-" + name.replace(' ', '-'), settings(limits));
        try {
            double idle = idleCpuPerSecond(adapter, progress);
            List<Step> raw = List.of(
                    step(name, "no credentials", adapter, idle, fast, i -> null, http, progress),
                    step(name, "wrong secret, HMAC key", adapter, idle, fast, i -> wrong(HMAC_KEY), http, progress),
                    step(name, "wrong secret, legacy PBKDF2 key", adapter, idle, legacy, i -> wrong(legacyKey), http, progress),
                    step(name, "no credentials, again", adapter, idle, fast, i -> null, http, progress));
            double base = (raw.get(0).adapterCpuMillisPerRequest() + raw.get(3).adapterCpuMillisPerRequest()) / 2;
            return raw.stream().map(step -> new Step(step.adapter(), step.request(), step.requests(), step.seconds(),
                    step.statuses(), step.adapterCpuMillisPerRequest(), base > 0 ? step.adapterCpuMillisPerRequest() / base : -1))
                    .toList();
        } finally {
            adapter.process().close();
        }
    }

    private static Map<String, Object> settings(Map<String, Object> limits) {
        Map<String, Object> settings = new TreeMap<>(limits);
        settings.put("patchbay.api.api-key-pepper", PEPPER);
        return settings;
    }

    private String wrong(String keyId) {
        byte[] secret = new byte[32];
        synchronized (random) {
            random.nextBytes(secret);
        }
        return "pb." + keyId + "." + HexFormat.of().formatHex(secret);
    }

    /** The adapter's CPU seconds per second at rest (Kafka polls, pools), to subtract from each step. */
    private double idleCpuPerSecond(Running adapter, Progress progress) {
        progress.phase("adapter at rest", 0, () -> 0);
        double before = adapter.process().cpuSeconds();
        long t0 = System.nanoTime();
        ProcessorBench.sleep(smoke ? 500 : 3_000);
        return (adapter.process().cpuSeconds() - before) / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@code count} requests, 4 at a time, after a warm-up of half as many (at least 5; JIT); each part stops early at
     * its time limit (an adapter that hashes every wrong secret slowly would otherwise take minutes).
     */
    private Step step(String adapterName, String request, Running adapter, double idlePerSecond, int count,
                      LongFunction<String> token, HttpRunner http, Progress progress) {
        URI uri = URI.create("http://127.0.0.1:" + adapter.port() + PATH);
        http.run(uri, Math.max(5, count / 2), token, new ConcurrentHashMap<>(), progress, request + " (warm-up)", maxSeconds / 2);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        double cpuBefore = adapter.process().cpuSeconds();
        long t0 = System.nanoTime();
        long sent = http.run(uri, count, token, statuses, progress, adapterName + ": " + request, maxSeconds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = adapter.process().cpuSeconds() - cpuBefore - idlePerSecond * seconds;
        double perRequest = Math.max(0, cpu) * 1000 / sent;
        return new Step(adapterName, request, sent, seconds, new TreeMap<>(statuses), perRequest, -1);
    }

    static String table(Result result) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%nwrong-secret cost (adapter %s):%n", result.adapterJar()));
        s.append(String.format(Locale.ROOT, "  %-15s %-33s %8s %16s %12s  %s%n", "adapter", "request", "requests",
                "adapter CPU ms", "x no creds", "answers"));
        for (Step step : result.steps()) {
            s.append(String.format(Locale.ROOT, "  %-15s %-33s %8d %16.3f %12.1f  %s%n", step.adapter(), step.request(),
                    step.requests(), step.adapterCpuMillisPerRequest(), step.overNoCredentials(), step.statuses()));
        }
        return s.toString();
    }

    /** Closed-loop GETs from 4 threads. */
    private static final class HttpRunner implements AutoCloseable {
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        /** Returns how many requests were answered. */
        long run(URI uri, int count, LongFunction<String> token, Map<Integer, Long> statuses, Progress progress, String label,
                 double maxSeconds) {
            long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
            AtomicLong next = new AtomicLong();
            AtomicLong done = new AtomicLong();
            progress.phase(label, count, done::get);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(threads.submit(() -> {
                    for (long i = next.getAndIncrement(); i < count && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
                        String bearer = token.apply(i);
                        if (bearer != null) {
                            request.header("Authorization", "Bearer " + bearer);
                        }
                        int status;
                        try {
                            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        statuses.merge(status, 1L, Long::sum);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (Exception e) {
                    throw new IllegalStateException(label + " failed", e);
                }
            }
            return done.get();
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}
