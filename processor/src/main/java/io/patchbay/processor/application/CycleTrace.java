package io.patchbay.processor.application;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a batch cycle's wall time goes, for measuring latency (BENCHMARKS.md, "Where the latency goes"): off unless
 * the JVM runs with {@code -Dpatchbay.trace-batches=true}, and then one log line every two seconds per consumer thread
 * with the mean and the longest milliseconds per batch of each {@link Phase}, the mean batch size, and the mean and
 * largest age of a batch's oldest record when it began. Off, each {@link #mark} is one test of a constant.
 */
public final class CycleTrace {

    /** The parts of one cycle, in the order they happen. */
    public enum Phase {
        /** From the end of the previous batch to the start of this one: offset commit, poll, the container. */
        POLL,
        /** Decoding the batch's records. */
        DECODE,
        /** Taking a connection and starting the transaction. */
        BEGIN,
        /** Reading the command log (only after a redelivery) and the parked records (only when some may exist). */
        DECIDED_PARKED,
        /**
         * The read-ahead: the actors' API keys, the rows the commands touch (locked) with what they reference, and the
         * newest change event of each resource, for the hash chains.
         */
        PREFETCH,
        /** Deciding every command and serializing its outcome. */
        APPLY,
        /** The changed rows, one JDBC batch per type. */
        WRITE_ROWS,
        /** The change log and the command log. */
        WRITE_LOGS,
        /** Committing the transaction and giving the connection back. */
        COMMIT,
        /**
         * Waiting for the previous batch's outcome acknowledgements (they overlap this batch's database work), committing
         * its offsets, and handing this batch's outcomes to the producer.
         */
        PUBLISH
    }

    /** Whether tracing is on in this JVM. */
    public static final boolean ON = Boolean.getBoolean("patchbay.trace-batches");

    private static final Logger log = LoggerFactory.getLogger(CycleTrace.class);
    private static final long WINDOW_NANOS = 2_000_000_000L;
    private static final ThreadLocal<CycleTrace> TRACES = ThreadLocal.withInitial(CycleTrace::new);

    private final long[] nanos = new long[Phase.values().length];
    private final long[] longestNanos = new long[Phase.values().length];
    private long last = System.nanoTime();
    private long windowStart = last;
    private long batches;
    private long records;
    private long oldestAgeMillis;
    private long oldestAgeMaxMillis;
    private long longestCycleNanos;
    private long cycleStart = last;

    private CycleTrace() {
    }

    /** A batch of {@code size} records, the oldest with timestamp {@code oldestTimestamp}, begins now. */
    public static void begin(int size, long oldestTimestamp) {
        if (ON) {
            TRACES.get().started(size, oldestTimestamp);
        }
    }

    /** {@code phase} of the current batch ended now (it began at the previous mark). */
    public static void mark(Phase phase) {
        if (ON) {
            TRACES.get().ended(phase);
        }
    }

    /** The current batch ended now; logs the window's means once it is two seconds old. */
    public static void end() {
        if (ON) {
            TRACES.get().finished();
        }
    }

    private void started(int size, long oldestTimestamp) {
        long now = System.nanoTime();
        add(Phase.POLL, now - last);
        last = now;
        cycleStart = now;
        batches++;
        records += size;
        long age = Math.max(0, System.currentTimeMillis() - oldestTimestamp);
        oldestAgeMillis += age;
        oldestAgeMaxMillis = Math.max(oldestAgeMaxMillis, age);
    }

    private void ended(Phase phase) {
        long now = System.nanoTime();
        add(phase, now - last);
        last = now;
    }

    private void add(Phase phase, long elapsed) {
        nanos[phase.ordinal()] += elapsed;
        longestNanos[phase.ordinal()] = Math.max(longestNanos[phase.ordinal()], elapsed);
    }

    private void finished() {
        long now = System.nanoTime();
        longestCycleNanos = Math.max(longestCycleNanos, now - cycleStart);
        if (now - windowStart < WINDOW_NANOS || batches == 0) {
            return;
        }
        Map<Phase, Double> means = new EnumMap<>(Phase.class);
        double total = 0;
        for (Phase phase : Phase.values()) {
            double mean = nanos[phase.ordinal()] / 1e6 / batches;
            means.put(phase, mean);
            total += mean;
        }
        StringJoiner line = new StringJoiner(" ");
        means.forEach((phase, mean) -> line.add(phase.name().toLowerCase() + "=" + String.format("%.2f", mean)));
        StringJoiner longest = new StringJoiner(" ", "longest: ", "");
        for (Phase phase : Phase.values()) {
            longest.add(phase.name().toLowerCase() + "=" + String.format("%.1f", longestNanos[phase.ordinal()] / 1e6));
        }
        log.info("cycle trace: batches={} records/batch={} oldest-age-ms={} oldest-age-max-ms={} cycle-ms={}"
                + " longest-ms={} {} {}", batches, String.format("%.1f", (double) records / batches),
                oldestAgeMillis / batches, oldestAgeMaxMillis, String.format("%.2f", total),
                String.format("%.1f", longestCycleNanos / 1e6), line, longest);
        java.util.Arrays.fill(nanos, 0);
        java.util.Arrays.fill(longestNanos, 0);
        batches = 0;
        records = 0;
        oldestAgeMillis = 0;
        oldestAgeMaxMillis = 0;
        longestCycleNanos = 0;
        windowStart = now;
    }
}
