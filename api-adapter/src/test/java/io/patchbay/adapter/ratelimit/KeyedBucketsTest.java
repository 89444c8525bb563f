package io.patchbay.adapter.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.bucket4j.ConsumptionProbe;

class KeyedBucketsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final KeyedBuckets buckets = new KeyedBuckets(3, Duration.ofSeconds(60), 100, nanos::get);

    @Test
    void eachKeyHasItsOwnCapacityThatRefillsOverThePeriod() {
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.consume("a").isConsumed()).isTrue();
        }
        ConsumptionProbe refused = buckets.consume("a");

        assertThat(refused.isConsumed()).isFalse();
        assertThat(Duration.ofNanos(refused.getNanosToWaitForRefill())).isEqualTo(Duration.ofSeconds(20));
        assertThat(buckets.consume("b").getRemainingTokens()).isEqualTo(2);
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(buckets.consume("a").isConsumed()).isTrue();
    }

    @Test
    void lookingDoesNotTakeAndAnUnknownKeyIsFree() {
        assertThat(buckets.nanosUntilAvailable("never")).isZero();
        buckets.consume("a");
        buckets.consume("a");
        buckets.consume("a");

        assertThat(buckets.nanosUntilAvailable("a")).isEqualTo(Duration.ofSeconds(20).toNanos());
        assertThat(buckets.nanosUntilAvailable("a")).isEqualTo(Duration.ofSeconds(20).toNanos());
    }
}
