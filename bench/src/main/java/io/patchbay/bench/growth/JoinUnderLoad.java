package io.patchbay.bench.growth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.patchbay.bench.Apps;
import io.patchbay.bench.AppProcess;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.bench.Results;
import io.patchbay.bench.load.Timeline;
import io.patchbay.schemas.Topics;

/**
 * A second processor joining the first's group and leaving it again while the first answers the latency step (at
 * {@link #FRACTION} of the drain rate): what each rebalance costs the commands in flight, under the group's partition
 * assignor. The second processor starts a second into the measured step (once the outcomes of the warm-up and of that
 * second have been read), stays {@link #HOLD} after the group is stable with both, then stops (a graceful leave). The
 * step's timeline ({@code latency-*.json.timeline.csv}) then tells how many commands waited longer than
 * {@link #DELAYED_MILLIS}, in the whole step and in each rebalance's window (from the second processor's start, or
 * stop, until one second after the group was stable again). The step must outlast both
 * ({@link GrowthSweep#JOIN_LATENCY_SECONDS}); a step too short for them is refused.
 */
final class JoinUnderLoad {

    /**
     * The latency step's rate, as a fraction of the drain rate: low, so that the second processor's start (about two
     * cores for some seconds) leaves the first room, and what is left to see is the rebalances.
     */
    static final double FRACTION = 0.1;
    static final Duration HOLD = Duration.ofSeconds(4);
    static final long DELAYED_MILLIS = 100;
    private static final Duration AFTER_STABLE = Duration.ofSeconds(1);

    /** When the second processor started, was in the group, was stopped, and was out of it. */
    record Times(Instant started, Instant joined, Instant stopping, Instant left) {
    }

    private JoinUnderLoad() {
    }

    /**
     * Waits until {@code outcomes} reaches {@code startAt}, then runs the join and the leave of a second processor
     * started as {@code apps} starts the first, with {@code extra}.
     */
    static Times joinAndLeave(Apps apps, String name, String jdbcUrl, Topics topics, Map<String, String> extra,
                              LongSupplier outcomes, long startAt, String bootstrap) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (outcomes.getAsLong() < startAt) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the latency step's outcomes never reached " + startAt);
            }
            ProcessorBench.sleep(50);
        }
        Instant started = Instant.now();
        try (AppProcess second = apps.startProcessor(name, jdbcUrl, topics, extra)) {
            GrowthSweep.stableGroup(bootstrap, topics.prefix() + "-processor", 2);
            Instant joined = Instant.now();
            ProcessorBench.sleep(HOLD.toMillis());
            Instant stopping = Instant.now();
            second.close();
            GrowthSweep.stableGroup(bootstrap, topics.prefix() + "-processor", 1);
            return new Times(started, joined, stopping, Instant.now());
        }
    }

    /** The rebalances' cost, read from the measured step (step 0) of {@code timeline}. */
    static Results.Rebalance measure(String assignor, Times times, Path timeline) {
        try {
            return measure(assignor, times, Files.readAllLines(timeline));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Results.Rebalance measure(String assignor, Times times, List<String> csv) {
        Instant joinEnd = times.joined().plus(AFTER_STABLE);
        Instant leaveEnd = times.left().plus(AFTER_STABLE);
        Instant lastDue = Instant.MIN;
        long records = 0;
        long delayed = 0;
        long delayedInJoin = 0;
        long delayedInLeave = 0;
        for (Timeline.Row row : Timeline.read(csv)) {
            if (row.step() != 0) {
                continue;
            }
            records++;
            Instant due = row.due();
            lastDue = due.isAfter(lastDue) ? due : lastDue;
            if (row.latencyMicros() >= 0 && row.latencyMicros() <= DELAYED_MILLIS * 1000) {
                continue;
            }
            delayed++;
            if (!due.isBefore(times.started()) && due.isBefore(joinEnd)) {
                delayedInJoin++;
            } else if (!due.isBefore(times.stopping()) && due.isBefore(leaveEnd)) {
                delayedInLeave++;
            }
        }
        if (lastDue.isBefore(leaveEnd)) {
            throw new IllegalStateException("the measured step ended (last command due " + lastDue + ") before a second"
                    + " after the second processor had left (" + times.left() + "); run the join with a longer --latency-seconds");
        }
        return new Results.Rebalance(assignor, seconds(times.started(), times.joined()),
                seconds(times.stopping(), times.left()), records, delayed, delayedInJoin, delayedInLeave);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
