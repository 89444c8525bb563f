package io.patchbay.schemas.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": before retry {@code n} (1-based) the nominal delay is
 * {@code min(max, initial * 2^(n-1))}, and the actual delay is drawn uniformly from [nominal/2, nominal].
 * The one back-off of the project: the registry client's retries, the schema warm-up's and the wait for PostgreSQL
 * at start (which sleeps the nominal delays, as it is one process waiting, not many retrying at once). Thread-safe.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;

    /** Delays from {@code initial}, doubling, up to {@code max} (at least {@code initial}); negatives count as zero. */
    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(0, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The nominal (un-jittered) delay before retry {@code retry}. */
    public long nominalMillis(int retry) {
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long nominal = initialMillis << shift;
        return nominal < 0 || nominal > maxMillis ? maxMillis : nominal;
    }

    /** The jittered delay before retry {@code retry}. */
    public Duration delay(int retry) {
        long nominal = nominalMillis(retry);
        long half = nominal / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(nominal - half + 1));
    }
}
