package io.patchbay.store.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.testing.StoreExtension;

/** Idempotency-Key claims as the adapter makes them: one claim per (team, key), takeover after the lease, purge. */
class CommandRequestsIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    private final Handle h = store.handle();
    private final CommandRequests requests = new CommandRequests();

    @Test
    void aKeyIsClaimedOnceAndALaterRequestGetsTheClaimingRecord() {
        CommandRequest first = claim("team_a", "key-1", NOW.plusSeconds(30));
        CommandRequest second = claim("team_a", "key-1", NOW.plusSeconds(30));

        assertThat(requests.insertOrGetClaim(h, first)).isEmpty();
        Optional<CommandRequest> existing = requests.insertOrGetClaim(h, second);

        assertThat(existing).map(CommandRequest::commandId).contains(first.commandId());
        assertThat(requests.find(h, "team_a", second.commandId())).isEmpty();
    }

    @Test
    void theSameKeyInAnotherTeamIsAClaimOfItsOwn() {
        requests.insertOrGetClaim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));

        CommandRequest other = claim("team_b", "key-1", NOW.plusSeconds(30));

        assertThat(requests.insertOrGetClaim(h, other)).isEmpty();
        assertThat(requests.findByKey(h, "team_b", "key-1"))
                .map(CommandRequest::commandId).contains(other.commandId());
    }

    @Test
    void requestsWithoutAKeyAreRecordedWithoutAClaim() {
        CommandRequest first = request("team_a", null, CommandRequest.SUBMITTED, null, NOW.plusSeconds(60));
        CommandRequest second = request("team_a", null, CommandRequest.SUBMITTED, null, NOW.plusSeconds(60));

        assertThat(requests.insertOrGetClaim(h, first)).isEmpty();
        assertThat(requests.insertOrGetClaim(h, second)).isEmpty();
        assertThat(requests.find(h, "team_a", second.commandId())).isPresent();
    }

    @Test
    void aRecordReadsBackAsStoredWithItsInstantsToTheMicrosecond() {
        CommandRequest stored = claim("team_a", "key-1", NOW.plusSeconds(30));
        requests.insertOrGetClaim(h, stored);

        CommandRequest read = requests.find(h, "team_a", stored.commandId()).orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(stored);
        assertThat(requests.find(h, "team_b", stored.commandId())).isEmpty();
    }

    @Test
    void anAbandonedClaimIsTakenOverOnceItsLeaseHasRunOut() {
        CommandRequest abandoned = claim("team_a", "key-1", NOW.minusSeconds(1));
        requests.insertOrGetClaim(h, abandoned);
        CommandRequest retry = claim("team_a", "key-1", NOW.plusSeconds(30));

        assertThat(requests.takeOver(h, retry, NOW)).isTrue();

        assertThat(requests.findByKey(h, "team_a", "key-1"))
                .map(CommandRequest::commandId).contains(retry.commandId());
        assertThat(requests.find(h, "team_a", abandoned.commandId())).isEmpty();
    }

    @Test
    void aClaimStillUnderLeaseIsNotTakenOver() {
        CommandRequest live = claim("team_a", "key-1", NOW.plusSeconds(5));
        requests.insertOrGetClaim(h, live);

        assertThat(requests.takeOver(h, claim("team_a", "key-1", NOW.plusSeconds(30)), NOW))
                .isFalse();
        assertThat(requests.findByKey(h, "team_a", "key-1"))
                .map(CommandRequest::commandId).contains(live.commandId());
    }

    @Test
    void aSubmittedRequestIsNeverTakenOverAndLosesItsLease() {
        CommandRequest submitted = claim("team_a", "key-1", NOW.minusSeconds(60));
        requests.insertOrGetClaim(h, submitted);
        requests.markSubmitted(h, submitted.commandId());

        assertThat(requests.takeOver(h, claim("team_a", "key-1", NOW.plusSeconds(30)), NOW))
                .isFalse();
        CommandRequest read = requests.findByKey(h, "team_a", "key-1").orElseThrow();
        assertThat(read.commandId()).isEqualTo(submitted.commandId());
        assertThat(read.state()).isEqualTo(CommandRequest.SUBMITTED);
        assertThat(read.leaseUntil()).isNull();
    }

    @Test
    void purgeDeletesOnlyExpiredRecordsAtMostABatchAtATime() {
        List<String> live = new ArrayList<>();
        store.useTransaction(h -> {
            for (int i = 0; i < 5; i++) {
                requests.insertOrGetClaim(h, request("team_a", "old-" + i, CommandRequest.SUBMITTED, null, NOW.minusSeconds(1)));
            }
            for (int i = 0; i < 2; i++) {
                CommandRequest kept = request("team_a", "new-" + i, CommandRequest.SUBMITTED, null, NOW.plusSeconds(1));
                requests.insertOrGetClaim(h, kept);
                live.add(kept.commandId());
            }
        });

        List<Integer> batches = new ArrayList<>();
        int deleted;
        do {
            deleted = requests.purgeExpired(h, NOW, 2);
            batches.add(deleted);
        } while (deleted > 0);

        assertThat(batches).containsExactly(2, 2, 1, 0);
        assertThat(h.createQuery("select command_id from command_request").mapTo(String.class).list())
                .containsExactlyInAnyOrderElementsOf(live);
    }

    private static CommandRequest claim(String team, String key, Instant leaseUntil) {
        return request(team, key, CommandRequest.CLAIMED, leaseUntil, NOW.plus(Duration.ofHours(24)));
    }

    private static CommandRequest request(String team, String key, String state, Instant leaseUntil, Instant expiresAt) {
        return new CommandRequest(UUID.randomUUID().toString(), team, "EVALUATION", "PATCH", "/api/v1/evaluations/e1",
                UUID.randomUUID().toString(), "2026-01-01", key, key == null ? null : new byte[] {1, 2, 3}, state,
                leaseUntil, NOW.minus(1, ChronoUnit.MILLIS), expiresAt);
    }
}
