package io.patchbay.adapter.command;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a synchronous PATCH's wait goes, for measuring latency (BENCHMARKS.md, "The synchronous tail at 500/s, timed
 * per request"): off unless the JVM runs with {@code -Dpatchbay.trace-replies=true}, and then one log line every two
 * seconds with the p50, p99 and largest milliseconds of the two parts of each awaited outcome's wait, split at the
 * reply record's timestamp (the processor's send, after its transaction committed):
 * <ul>
 *   <li>{@code to-reply}: from the registration (just before the command is published) to the reply's send, which is
 *       the command's produce, its time on the commands topic, the processor's batch and the acknowledgements the
 *       processor waits for before sending;
 *   <li>{@code reply-hop}: from the reply's send to the outcome waiter reading it.
 * </ul>
 * Both processes read the same wall clock. Off, each call is one test of a constant. Called on the outcome waiter's
 * thread only.
 */
final class ReplyTrace {

    /** Whether tracing is on in this JVM. */
    static final boolean ON = Boolean.getBoolean("patchbay.trace-replies");

    private static final Logger log = LoggerFactory.getLogger(ReplyTrace.class);
    private static final long WINDOW_NANOS = 2_000_000_000L;
    private static final ReplyTrace TRACE = new ReplyTrace();

    private long[] toReply = new long[1024];
    private long[] hop = new long[1024];
    private int count;
    private long windowStart = System.nanoTime();

    private ReplyTrace() {
    }

    /**
     * An outcome registered at {@code registeredNanos} ({@link System#nanoTime}), whose reply record has timestamp
     * {@code replyTimestamp}, was read now.
     */
    static void replied(long registeredNanos, long replyTimestamp) {
        if (ON) {
            TRACE.record(registeredNanos, replyTimestamp);
        }
    }

    private void record(long registeredNanos, long replyTimestamp) {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        long registeredMillis = nowMillis - (nowNanos - registeredNanos) / 1_000_000;
        if (count == toReply.length) {
            toReply = Arrays.copyOf(toReply, count * 2);
            hop = Arrays.copyOf(hop, count * 2);
        }
        toReply[count] = replyTimestamp - registeredMillis;
        hop[count] = nowMillis - replyTimestamp;
        count++;
        if (nowNanos - windowStart >= WINDOW_NANOS) {
            log.info("reply trace: replies={} to-reply-ms={} reply-hop-ms={}", count, summary(toReply, count),
                    summary(hop, count));
            count = 0;
            windowStart = nowNanos;
        }
    }

    private static String summary(long[] values, int n) {
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return "p50:" + sorted[(n - 1) / 2] + "/p99:" + sorted[(int) Math.ceil(n * 0.99) - 1] + "/max:" + sorted[n - 1];
    }
}
