package io.patchbay.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * When each record of one load-generator step was due, when it actually went out and when its answer came: what the
 * latency tail is correlated with (GC and safepoint logs of the other JVMs, the processor's cycle trace). A late send
 * (the generator's own stall: its GC, its thread not scheduled, a blocking {@code send}) is counted in the open-loop
 * latency, which runs from the scheduled time, although the system under test did not cause it; the timeline keeps it
 * apart.
 */
public final class Timeline {

    /** One record of a timeline CSV as read back: its step, when it was due, its latency (-1 when unanswered). */
    public record Row(int step, Instant due, long latencyMicros) {
    }

    private final int step;
    private final long epochNanosOffset;
    private final long[] due;
    private final long[] sent;
    private final long[] answered;
    private final long[] producedAtMillis;

    /** {@code epochNanosOffset} turns {@link System#nanoTime()} into epoch nanoseconds. */
    Timeline(int step, int count, long epochNanosOffset) {
        this.step = step;
        this.epochNanosOffset = epochNanosOffset;
        this.due = new long[count];
        this.sent = new long[count];
        this.answered = new long[count];
        this.producedAtMillis = new long[count];
        Arrays.fill(producedAtMillis, -1);
    }

    void sent(int i, long dueNanos, long sentNanos) {
        due[i] = dueNanos;
        sent[i] = sentNanos;
    }

    void answered(int i, long answeredNanos, long producedMillis) {
        answered[i] = answeredNanos;
        producedAtMillis[i] = producedMillis;
    }

    /** How late the generator sent each record, in microseconds. */
    Histogram sendLag() {
        Histogram h = new Histogram(3);
        for (int i = 0; i < due.length; i++) {
            if (sent[i] != 0) {
                h.recordValue(Math.max(0, (sent[i] - due[i]) / 1000));
            }
        }
        return h;
    }

    /** One line: the send lag, the latency from the actual send, and the p99 of each second of the step. */
    String summary() {
        Histogram lag = sendLag();
        Histogram sinceSent = new Histogram(3);
        for (int i = 0; i < due.length; i++) {
            if (answered[i] != 0) {
                sinceSent.recordValue(Math.max(0, (answered[i] - sent[i]) / 1000));
            }
        }
        StringBuilder perSecond = new StringBuilder();
        long first = due.length == 0 ? 0 : due[0];
        Histogram second = new Histogram(3);
        int current = 0;
        for (int i = 0; i <= due.length; i++) {
            int s = i == due.length ? -1 : (int) ((due[i] - first) / 1_000_000_000L);
            if (s != current) {
                perSecond.append(String.format(Locale.ROOT, " %.0f", second.getValueAtPercentile(99) / 1000.0));
                second.reset();
                current = s;
            }
            if (i < due.length && answered[i] != 0) {
                second.recordValue(Math.max(0, (answered[i] - due[i]) / 1000));
            }
        }
        return String.format(Locale.ROOT, "step %d timeline: send lag p50 %.2f ms, p99 %.2f ms, max %.1f ms;"
                        + " latency from the actual send p50 %.1f ms, p99 %.1f ms; p99 of each second (ms):%s",
                step, lag.getValueAtPercentile(50) / 1000.0, lag.getValueAtPercentile(99) / 1000.0, lag.getMaxValue() / 1000.0,
                sinceSent.getValueAtPercentile(50) / 1000.0, sinceSent.getValueAtPercentile(99) / 1000.0, perSecond);
    }

    /**
     * Appends one CSV line per record: step, index, due (UTC), send lag, latency from due, latency from the send and
     * until the answer was produced (microseconds; -1 when unanswered or unknown).
     */
    void write(Writer out) {
        try {
            for (int i = 0; i < due.length; i++) {
                long dueEpochNanos = due[i] + epochNanosOffset;
                long latency = answered[i] == 0 ? -1 : (answered[i] - due[i]) / 1000;
                long fromSend = answered[i] == 0 ? -1 : (answered[i] - sent[i]) / 1000;
                long produced = producedAtMillis[i] < 0 ? -1 : producedAtMillis[i] * 1000 - dueEpochNanos / 1000;
                out.write(String.format(Locale.ROOT, "%d,%d,%s,%d,%d,%d,%d%n", step, i,
                        Instant.ofEpochSecond(0, dueEpochNanos), (sent[i] - due[i]) / 1000, latency, fromSend, produced));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of a timeline CSV's {@code lines}, its header first (as {@link #write} and {@link #open} wrote it). */
    public static List<Row> read(List<String> lines) {
        return lines.stream().skip(1).map(line -> line.split(","))
                .map(f -> new Row(Integer.parseInt(f[0]), Instant.parse(f[2]), Long.parseLong(f[4]))).toList();
    }

    /** The CSV beside {@code out}: {@code <out>.timeline.csv}, with its header. */
    static Writer open(Path out) throws IOException {
        Writer w = Files.newBufferedWriter(out.resolveSibling(out.getFileName() + ".timeline.csv"));
        w.write("step,index,due_utc,send_lag_us,latency_us,from_send_us,until_produced_us\n");
        return w;
    }
}
