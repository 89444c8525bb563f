package io.patchbay.adapter.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One Bucket4j token bucket per key (a team, an API key id, a client address): {@code capacity} tokens that refill
 * continuously over {@code period}, so a bucket allows {@code capacity} events in any window of that length once it
 * is full. Buckets live in this instance's memory (a Caffeine cache); one untouched for a whole period is full again
 * and is dropped, and at most {@code maxKeys} are kept (the least useful go first), so a flood of new keys costs
 * bounded memory.
 */
public final class KeyedBuckets {

    private final long capacity;
    private final Duration period;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /**
     * @param nanoTime the time source of the buckets and of the cache (monotonic nanoseconds; tests pass a fake one)
     */
    public KeyedBuckets(long capacity, Duration period, long maxKeys, LongSupplier nanoTime) {
        if (capacity <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a bucket needs a positive capacity and period");
        }
        this.capacity = capacity;
        this.period = period;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period)
                .ticker(nanoTime::getAsLong).build();
    }

    /** Takes one token of {@code key}'s bucket if there is one; the probe tells what remains or how long to wait. */
    public ConsumptionProbe consume(String key) {
        return buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
    }

    /** Nanoseconds until {@code key}'s bucket has a token again; 0 when it has one now. Takes nothing. */
    public long nanosUntilAvailable(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? 0 : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    public long capacity() {
        return capacity;
    }

    public Duration period() {
        return period;
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .withCustomTimePrecision(time).build();
    }
}
