package io.patchbay.adapter.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.patchbay.store.request.CommandRequest;

/** When an identical request may publish a claim's command itself: once the claim's lease has ended. */
class ClaimLeaseTest {

    private static final Instant CLAIMED_AT = Instant.parse("2026-12-04T15:00:00.000Z");

    private static CommandRequest claim(Instant leaseUntil) {
        return new CommandRequest("cmd", "team", "EVALUATION", "PATCH", "/api/v1/evaluations/e", "req", null, "key",
                new byte[] {1}, CommandRequest.CLAIMED, leaseUntil, CLAIMED_AT, CLAIMED_AT.plusSeconds(86_400));
    }

    @Test
    void aClaimBeingPublishedIsLeasedForThirtySeconds() {
        CommandRequest claim = claim(CLAIMED_AT.plus(CommandSubmitter.CLAIM_LEASE));

        assertThat(CommandSubmitter.leaseEnded(claim, CLAIMED_AT.plusSeconds(29))).isFalse();
        assertThat(CommandSubmitter.leaseEnded(claim, CLAIMED_AT.plusSeconds(30))).isTrue();
    }

    @Test
    void aClaimWhosePublishFailedMayBePublishedAgainAtOnce() {
        CommandRequest failed = claim(CLAIMED_AT);

        assertThat(CommandSubmitter.leaseEnded(failed, CLAIMED_AT.plusMillis(1))).isTrue();
    }

    @Test
    void aClaimWithoutALeaseHasTheDefaultOne() {
        CommandRequest legacy = claim(null);

        assertThat(CommandSubmitter.leaseEnded(legacy, CLAIMED_AT.plusSeconds(29))).isFalse();
        assertThat(CommandSubmitter.leaseEnded(legacy, CLAIMED_AT.plusSeconds(31))).isTrue();
    }
}
