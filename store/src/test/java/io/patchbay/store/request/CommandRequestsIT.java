package io.patchbay.store.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.testing.StoreExtension;

/** Idempotency-Key claims as the adapter makes them: one claim per (team, key), one statement, races, leases, purge. */
class CommandRequestsIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    private final Handle h = store.handle();
    private final CommandRequests requests = new CommandRequests();

    @Test
    void aKeyIsClaimedOnceAndALaterClaimGetsTheHolderAndWritesNothing() {
        CommandRequest first = claim("team_a", "key-1", NOW.plusSeconds(30));
        CommandRequest second = claim("team_a", "key-1", NOW.plusSeconds(30));

        CommandRequests.Claim mine = requests.claim(h, first);
        CommandRequests.Claim theirs = requests.claim(h, second);

        assertThat(mine.claimed()).isTrue();
        assertThat(mine.holder().commandId()).isEqualTo(first.commandId());
        assertThat(theirs.claimed()).isFalse();
        assertThat(theirs.holder().commandId()).isEqualTo(first.commandId());
        assertThat(h.createQuery("select count(*) from command_request").mapTo(Integer.class).one()).isEqualTo(1);
    }

    @Test
    void aClaimIsOneStatementWhetherItTakesTheKeyOrFindsItsHolder() {
        AtomicInteger statements = new AtomicInteger();
        h.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });

        requests.claim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));
        int taking = statements.getAndSet(0);
        requests.claim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));

        assertThat(taking).as("statements of the claim that takes the key").isEqualTo(1);
        assertThat(statements).as("statements of the claim that finds the holder").hasValue(1);
    }

    @Test
    void theSameKeyInAnotherTeamIsAClaimOfItsOwn() {
        requests.claim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));

        CommandRequest other = claim("team_b", "key-1", NOW.plusSeconds(30));

        assertThat(requests.claim(h, other).claimed()).isTrue();
        assertThat(requests.findByKey(h, "team_b", "key-1"))
                .map(CommandRequest::commandId).contains(other.commandId());
    }

    @Test
    void aClaimReadsBackAsStoredWithItsInstantsToTheMicrosecond() {
        CommandRequest stored = claim("team_a", "key-1", NOW.plusSeconds(30));

        assertThat(requests.claim(h, stored).holder()).usingRecursiveComparison().isEqualTo(stored);
        assertThat(requests.findByKey(h, "team_a", "key-1").orElseThrow()).usingRecursiveComparison().isEqualTo(stored);
        assertThat(requests.findByKey(h, "team_b", "key-1")).isEmpty();
    }

    @Test
    void concurrentClaimsOfOneKeyAllSeeTheSameSingleHolder() throws Exception {
        int racers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
            List<java.util.concurrent.Future<CommandRequests.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return store.jdbi().withHandle(other -> requests.claim(other, claim("team_race", "key-1", NOW.plusSeconds(30))));
                }));
            }
            List<CommandRequests.Claim> results = new ArrayList<>();
            for (var claim : claims) {
                results.add(claim.get());
            }
            assertThat(results).filteredOn(CommandRequests.Claim::claimed).hasSize(1);
            assertThat(results).extracting(c -> c.holder().commandId()).containsOnly(
                    results.stream().filter(CommandRequests.Claim::claimed).findFirst().orElseThrow().holder().commandId());
        } finally {
            pool.shutdownNow();
            store.jdbi().useHandle(other -> other.execute("delete from command_request where team_id = 'team_race'"));
        }
    }

    @Test
    void aFailedPublishEndsTheLeaseAtOnceAndKeepsTheKeyBoundToTheClaimsCommand() {
        CommandRequest failed = claim("team_a", "key-1", NOW.plusSeconds(30));
        requests.claim(h, failed);

        assertThat(requests.endLease(h, failed.commandId())).isTrue();

        CommandRequests.Claim retry = requests.claim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));
        assertThat(retry.claimed()).as("the command may be on Kafka: the key stays bound to it").isFalse();
        assertThat(retry.holder().commandId()).isEqualTo(failed.commandId());
        assertThat(retry.holder().state()).isEqualTo(CommandRequest.CLAIMED);
        assertThat(retry.holder().leaseUntil()).as("the lease ended when the claim was made")
                .isEqualTo(failed.createdAt());
    }

    @Test
    void aClaimMarkedSubmittedIsSeenSoByALaterClaimAndItsLeaseIsNotEndedByALaterFailedPublish() {
        CommandRequest first = claim("team_a", "key-1", NOW.plusSeconds(30));
        requests.claim(h, first);

        assertThat(requests.markSubmitted(h, first.commandId())).isTrue();
        assertThat(requests.markSubmitted(h, first.commandId())).as("marked once").isFalse();
        assertThat(requests.endLease(h, first.commandId())).as("a submitted claim's command is on Kafka").isFalse();

        CommandRequests.Claim later = requests.claim(h, claim("team_a", "key-1", NOW.plusSeconds(30)));
        assertThat(later.claimed()).isFalse();
        assertThat(later.holder().commandId()).isEqualTo(first.commandId());
        assertThat(later.holder().state()).isEqualTo(CommandRequest.SUBMITTED);
        assertThat(later.holder().leaseUntil()).isEqualTo(first.leaseUntil());
    }

    @Test
    void aClaimWhoseLeaseAFailedPublishEndedIsMarkedSubmittedOnceItsCommandIsPublishedAgain() {
        CommandRequest failed = claim("team_a", "key-1", NOW.plusSeconds(30));
        requests.claim(h, failed);
        requests.endLease(h, failed.commandId());

        assertThat(requests.markSubmitted(h, failed.commandId())).isTrue();
        assertThat(requests.findByKey(h, "team_a", "key-1").orElseThrow().state()).isEqualTo(CommandRequest.SUBMITTED);
    }

    @Test
    void purgeDeletesOnlyExpiredRecordsAtMostABatchAtATime() {
        List<String> live = new ArrayList<>();
        store.useTransaction(h -> {
            for (int i = 0; i < 5; i++) {
                requests.claim(h, request("team_a", "old-" + i, CommandRequest.CLAIMED, NOW, NOW.minusSeconds(1)));
            }
            for (int i = 0; i < 2; i++) {
                CommandRequest kept = request("team_a", "new-" + i, CommandRequest.CLAIMED, NOW, NOW.plusSeconds(1));
                requests.claim(h, kept);
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
