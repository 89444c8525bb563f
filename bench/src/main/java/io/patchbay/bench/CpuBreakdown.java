package io.patchbay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The CPU time of each part that serves a mode (the adapter JVM, the processor JVM, the PostgreSQL server, ...),
 * read part by part, so that a step's CPU per request splits into where it was spent. Parts named in
 * {@code informational} are reported but not charged to the mode (the broker shares the benchmark's JVM with the
 * load generator, so its share is an estimate). A part that is one JVM can also be split by thread group
 * ({@link ThreadGroupCpu}: JIT, GC and VM, work), reported beside the parts.
 */
public final class CpuBreakdown {

    /** Threads of this JVM that belong to the load generator or the in-JVM baselines, not to the broker. */
    private static final Set<String> NOT_BROKER = Set.of("bench-", "HttpClient-", "HTTP-Dispatcher", "main");
    /** Threads of this JVM's HTTP load generator ({@link HttpLoad}): its client's executor and selector manager. */
    private static final Set<String> HTTP_GENERATOR = Set.of("bench-http-client", "HttpClient-");

    private static final ThreadCpu BROKER = new ThreadCpu(name -> NOT_BROKER.stream().noneMatch(name::startsWith));
    private static final ThreadCpu GENERATOR = new ThreadCpu(name -> HTTP_GENERATOR.stream().anyMatch(name::startsWith));

    private final Map<String, DoubleSupplier> parts;
    private final Set<String> informational;
    private final Map<String, Supplier<Map<String, Double>>> threadGroups;

    private CpuBreakdown(Map<String, DoubleSupplier> parts, Set<String> informational,
                         Map<String, Supplier<Map<String, Double>>> threadGroups) {
        this.parts = Collections.unmodifiableMap(parts);
        this.informational = Set.copyOf(informational);
        this.threadGroups = Collections.unmodifiableMap(threadGroups);
    }

    /** No parts yet. */
    public static CpuBreakdown of() {
        return new CpuBreakdown(new LinkedHashMap<>(), Set.of(), new LinkedHashMap<>());
    }

    /** This breakdown plus a part charged to the mode. */
    public CpuBreakdown with(String name, DoubleSupplier cpuSeconds) {
        Map<String, DoubleSupplier> more = new LinkedHashMap<>(parts);
        more.put(name, cpuSeconds);
        return new CpuBreakdown(more, informational, new LinkedHashMap<>(threadGroups));
    }

    /** This breakdown plus a part that is reported but not charged to the mode. */
    public CpuBreakdown withInformational(String name, DoubleSupplier cpuSeconds) {
        Set<String> names = new java.util.HashSet<>(informational);
        names.add(name);
        return new CpuBreakdown(with(name, cpuSeconds).parts, names, new LinkedHashMap<>(threadGroups));
    }

    /** This breakdown plus a part charged to the mode that is one JVM, split by thread group too. */
    public CpuBreakdown withJvm(String name, long pid) {
        Map<String, Supplier<Map<String, Double>>> more = new LinkedHashMap<>(threadGroups);
        more.put(name, () -> ThreadGroupCpu.read(pid));
        return new CpuBreakdown(with(name, () -> CpuMeter.processSeconds(pid)).parts, informational, more);
    }

    /** This breakdown plus every part of {@code other} (informational ones stay informational). */
    public CpuBreakdown with(CpuBreakdown other) {
        Map<String, DoubleSupplier> more = new LinkedHashMap<>(parts);
        more.putAll(other.parts);
        Set<String> names = new java.util.HashSet<>(informational);
        names.addAll(other.informational);
        Map<String, Supplier<Map<String, Double>>> groups = new LinkedHashMap<>(threadGroups);
        groups.putAll(other.threadGroups);
        return new CpuBreakdown(more, names, groups);
    }

    /** CPU seconds of each JVM part by thread group so far (a part that cannot be read maps to an empty map). */
    public Map<String, Map<String, Double>> readThreadGroups() {
        Map<String, Map<String, Double>> seconds = new LinkedHashMap<>();
        threadGroups.forEach((name, groups) -> seconds.put(name, groups.get()));
        return seconds;
    }

    /** Milliseconds per request of each JVM part's thread groups between two readings (-1 where unknown). */
    public static Map<String, Map<String, Double>> perRequestByThreadGroup(Map<String, Map<String, Double>> before,
                                                                            Map<String, Map<String, Double>> after,
                                                                            long requests) {
        Map<String, Map<String, Double>> millis = new LinkedHashMap<>();
        before.forEach((name, groups) -> millis.put(name,
                ThreadGroupCpu.perUnit(groups, after.getOrDefault(name, Map.of()), requests)));
        return millis;
    }

    /** CPU seconds of every part so far (-1 for a part that cannot be read). */
    public Map<String, Double> read() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        parts.forEach((name, part) -> seconds.put(name, part.getAsDouble()));
        return seconds;
    }

    /** CPU seconds of the parts charged to the mode, or -1 when one of them cannot be read. */
    public double chargedSeconds() {
        double total = 0;
        for (Map.Entry<String, DoubleSupplier> part : parts.entrySet()) {
            if (informational.contains(part.getKey())) {
                continue;
            }
            double seconds = part.getValue().getAsDouble();
            if (seconds < 0) {
                return -1;
            }
            total += seconds;
        }
        return total;
    }

    /** Milliseconds per request of each part between two readings (-1 where unknown). */
    public static Map<String, Double> perRequest(Map<String, Double> before, Map<String, Double> after, long requests) {
        Map<String, Double> millis = new LinkedHashMap<>();
        before.forEach((name, start) -> {
            Double end = after.get(name);
            millis.put(name, start < 0 || end == null || end < 0 || requests == 0 ? -1 : (end - start) * 1000 / requests);
        });
        return millis;
    }

    /**
     * CPU seconds of this JVM's threads that belong to neither the load generator nor an in-JVM baseline: the
     * in-process Kafka broker, mostly. What a thread used after the last reading before it ended is not counted.
     */
    public static double brokerSeconds() {
        return BROKER.seconds();
    }

    /**
     * CPU seconds of this JVM's HTTP load generator, which shares the JVM (and its JDK) with the broker: the
     * instrument's own cost. What a thread used after the last reading before it ended is not counted.
     */
    public static double httpGeneratorSeconds() {
        return GENERATOR.seconds();
    }

    /**
     * The CPU time of this JVM's threads whose names match, summed as a counter that never goes back: a thread that
     * ends keeps what it had used at the last reading (read from the live threads alone, the sum would drop by it).
     */
    private static final class ThreadCpu {

        private final Predicate<String> named;
        private final Map<Long, Long> lastNanos = new HashMap<>();
        private long nanos;

        ThreadCpu(Predicate<String> named) {
            this.named = named;
        }

        synchronized double seconds() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && named.test(info.getThreadName())) {
                    long now = threads.getThreadCpuTime(info.getThreadId());
                    if (now >= 0) {
                        Long before = lastNanos.put(info.getThreadId(), now);
                        nanos += Math.max(0, now - (before == null ? 0 : before));
                    }
                }
            }
            return nanos / 1e9;
        }
    }
}
