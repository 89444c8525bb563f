package io.patchbay.adapter.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.ratelimit.RateLimiter.Decision;
import io.patchbay.adapter.ratelimit.RateLimiter.Scope;

class RateLimiterTest {

    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private final AtomicLong nanos = new AtomicLong();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aTeamSharesOneBudgetAndIsToldWhatRemainsAndWhenItResets() {
        RateLimiter limiter = new RateLimiter(3, Scope.TEAM, clock, nanos::get);

        Decision first = limiter.take("team_a", "key_1");
        limiter.take("team_a", "key_2");
        Decision third = limiter.take("team_a", "key_1");
        Decision refused = limiter.take("team_a", "key_2");

        assertThat(first).isEqualTo(new Decision(true, 3, 2, NOW.getEpochSecond() + 20, 0));
        assertThat(third.remaining()).isZero();
        assertThat(third.resetEpochSeconds()).isEqualTo(NOW.getEpochSecond() + 60);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(20);
        assertThat(limiter.take("team_b", "key_3").allowed()).isTrue();
    }

    @Test
    void perKeyScopeGivesEachKeyItsOwnBudget() {
        RateLimiter limiter = new RateLimiter(1, Scope.KEY, clock, nanos::get);

        assertThat(limiter.take("team_a", "key_1").allowed()).isTrue();
        assertThat(limiter.take("team_a", "key_2").allowed()).isTrue();
        assertThat(limiter.take("team_a", "key_1").allowed()).isFalse();
    }

    @Test
    void theWindowSlidesTokensComeBackContinuously() {
        RateLimiter limiter = new RateLimiter(60, Scope.TEAM, clock, nanos::get);
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.take("t", "k").allowed()).isTrue();
        }
        Decision refused = limiter.take("t", "k");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(limiter.take("t", "k").allowed()).isTrue();
        assertThat(limiter.take("t", "k").allowed()).isFalse();
    }

    @Test
    void zeroTurnsItOffAndScopesParseLeniently() {
        assertThat(new RateLimiter(0, Scope.TEAM, clock, nanos::get).enabled()).isFalse();
        assertThat(Scope.parse(null)).isEqualTo(Scope.TEAM);
        assertThat(Scope.parse(" key ")).isEqualTo(Scope.KEY);
    }
}
