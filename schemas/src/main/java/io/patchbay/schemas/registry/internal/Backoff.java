package io.patchbay.schemas.registry.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": before retry {@code n} (1-based) the nominal delay is
 * {@code min(max, initial * 2^(n-1))}, and the actual delay is drawn uniformly from [nominal/2, nominal].
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;

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
