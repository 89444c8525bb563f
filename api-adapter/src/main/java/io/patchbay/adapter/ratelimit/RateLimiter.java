package io.patchbay.adapter.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The request limit of api-contract §1.6, off by default: {@code perMinute} requests in any 60 seconds per team (or,
 * with {@link Scope#KEY}, per API key), as a Bucket4j bucket that refills continuously, held in this instance's
 * memory. Every authenticated request takes one token, idempotent replays included; what is left is reported in
 * the {@code X-RateLimit-*} headers.
 */
public final class RateLimiter {

    /** What one bucket is shared by. */
    public enum Scope {
        /** Every key of a team (the contract's default). */
        TEAM,
        /** One API key. */
        KEY;

        public static Scope parse(String value) {
            return value == null || value.isBlank() ? TEAM : Scope.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The verdict on one request.
     *
     * @param resetEpochSeconds when the bucket is full again (Unix epoch seconds)
     * @param retryAfterSeconds when refused: when one request is allowed again (at least 1)
     */
    public record Decision(boolean allowed, long limit, long remaining, long resetEpochSeconds, long retryAfterSeconds) {
    }

    static final long MAX_TRACKED = 100_000;

    private final int perMinute;
    private final Scope scope;
    private final Clock clock;
    private final KeyedBuckets buckets;

    /** @param perMinute requests per 60 seconds; 0 turns the limit off */
    public RateLimiter(int perMinute, Scope scope, Clock clock, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.scope = scope;
        this.clock = clock;
        this.buckets = perMinute > 0 ? new KeyedBuckets(perMinute, Duration.ofMinutes(1), MAX_TRACKED, nanoTime) : null;
    }

    public boolean enabled() {
        return buckets != null;
    }

    /** Takes one request of the bucket of {@code teamId} or {@code keyId} (by scope); only call it when enabled. */
    public Decision take(String teamId, String keyId) {
        ConsumptionProbe probe = buckets.consume(scope == Scope.TEAM ? "team:" + teamId : "key:" + keyId);
        long nowMillis = clock.millis();
        long reset = Math.floorDiv(nowMillis + probe.getNanosToWaitForReset() / 1_000_000 + 999, 1000);
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(probe.isConsumed(), perMinute, probe.getRemainingTokens(), reset, retryAfter);
    }
}
