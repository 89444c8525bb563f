package io.patchbay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The CPU time of each part that serves a mode (the adapter JVM, the processor JVM, the PostgreSQL server, ...),
 * read part by part, so that a step's CPU per request splits into where it was spent. Parts named in
 * {@code informational} are reported but not charged to the mode (the broker shares the benchmark's JVM with the
 * load generator, so its share is an estimate).
 */
public final class CpuBreakdown {

    /** Threads of this JVM that belong to the load generator or the in-JVM baselines, not to the broker. */
    private static final Set<String> NOT_BROKER = Set.of("bench-", "HttpClient-", "HTTP-Dispatcher", "main");

    private final Map<String, DoubleSupplier> parts;
    private final Set<String> informational;

    private CpuBreakdown(Map<String, DoubleSupplier> parts, Set<String> informational) {
        this.parts = Collections.unmodifiableMap(parts);
        this.informational = Set.copyOf(informational);
    }

    /** No parts yet. */
    public static CpuBreakdown of() {
        return new CpuBreakdown(new LinkedHashMap<>(), Set.of());
    }

    /** This breakdown plus a part charged to the mode. */
    public CpuBreakdown with(String name, DoubleSupplier cpuSeconds) {
        Map<String, DoubleSupplier> more = new LinkedHashMap<>(parts);
        more.put(name, cpuSeconds);
        return new CpuBreakdown(more, informational);
    }

    /** This breakdown plus a part that is reported but not charged to the mode. */
    public CpuBreakdown withInformational(String name, DoubleSupplier cpuSeconds) {
        Set<String> names = new java.util.HashSet<>(informational);
        names.add(name);
        return new CpuBreakdown(with(name, cpuSeconds).parts, names);
    }

    /** This breakdown plus every part of {@code other} (informational ones stay informational). */
    public CpuBreakdown with(CpuBreakdown other) {
        Map<String, DoubleSupplier> more = new LinkedHashMap<>(parts);
        more.putAll(other.parts);
        Set<String> names = new java.util.HashSet<>(informational);
        names.addAll(other.informational);
        return new CpuBreakdown(more, names);
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
     * in-process Kafka broker, mostly. Threads that ended between two readings are not counted.
     */
    public static double brokerSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || NOT_BROKER.stream().anyMatch(info.getThreadName()::startsWith)) {
                continue;
            }
            nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
        return nanos / 1e9;
    }
}
