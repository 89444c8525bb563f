package io.patchbay.processor.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;
import io.patchbay.testing.junit.TestNamespace;

class RetentionPurgerIT {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("retention");
    private final ConsumedHorizon everythingConsumed = instant -> true;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = ns.jdbi();
    }

    @Test
    void purgesOnlyWhatIsPastRetentionInBoundedStatementsAndKeepsTheChangeLog() {
        seed(120, NOW.minus(Duration.ofHours(25)), NOW.minus(Duration.ofHours(1)), "old");
        seed(7, NOW.minus(Duration.ofHours(23)), NOW.plus(Duration.ofHours(1)), "new");
        RetentionPurger purger = new RetentionPurger(jdbi, everythingConsumed, Duration.ofHours(24), Duration.ofMinutes(5), 50,
                Clock.fixed(NOW, ZoneOffset.UTC));

        RetentionPurger.Purged purged = purger.purgeOnce();

        assertThat(purged.commandLogEntries()).isEqualTo(120);
        assertThat(purged.requestRecords()).isEqualTo(120);
        assertThat(purged.statements()).isEqualTo(3 + 3);
        assertThat(ids("command_log", "command_id")).hasSize(7).allMatch(id -> id.startsWith("new"));
        assertThat(ids("command_request", "command_id")).hasSize(7).allMatch(id -> id.startsWith("new"));
        assertThat(ids("change_log", "command_id")).hasSize(127);
        assertThat(purger.purgeOnce()).isEqualTo(new RetentionPurger.Purged(0, 0, 2));
    }

    @Test
    void keepsTheCommandLogWhileTheProcessorsHaveNotConsumedWhatWasWrittenUpToAnIntervalAgo() {
        seed(5, NOW.minus(Duration.ofHours(30)), NOW.minus(Duration.ofHours(1)), "old");
        List<Instant> asked = new ArrayList<>();
        ConsumedHorizon lagging = instant -> {
            asked.add(instant);
            return false;
        };
        RetentionPurger purger = new RetentionPurger(jdbi, lagging, Duration.ofHours(24), Duration.ofMinutes(5), 50,
                Clock.fixed(NOW, ZoneOffset.UTC));

        RetentionPurger.Purged purged = purger.purgeOnce();

        assertThat(asked).containsExactly(NOW.minus(Duration.ofMinutes(5)));
        assertThat(purged.commandLogEntries()).isZero();
        assertThat(ids("command_log", "command_id")).hasSize(5);
        assertThat(purged.requestRecords()).isEqualTo(5);
    }

    @Test
    void anEntryGoesOnlyOnceItWasDecidedARetentionBeforeTheConsumedHorizon() {
        seed(2, NOW.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(3)), NOW.plus(Duration.ofHours(1)), "recent");
        seed(3, NOW.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(6)), NOW.plus(Duration.ofHours(1)), "older");
        RetentionPurger purger = new RetentionPurger(jdbi, everythingConsumed, Duration.ofHours(24), Duration.ofMinutes(5), 50,
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(purger.purgeOnce().commandLogEntries()).isEqualTo(3);
        assertThat(ids("command_log", "command_id")).hasSize(2).allMatch(id -> id.startsWith("recent"));
    }

    @Test
    void theScheduledPurgeRunsOnItsOwn() {
        seed(3, Instant.now().minus(Duration.ofMinutes(10)), Instant.now().minus(Duration.ofMinutes(5)), "old");
        RetentionPurger purger = new RetentionPurger(jdbi, everythingConsumed, Duration.ofMinutes(1), Duration.ofMillis(200), 2,
                Clock.systemUTC());
        purger.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!ids("command_log", "command_id").isEmpty() || !ids("command_request", "command_id").isEmpty()) {
                assertThat(System.nanoTime()).as("purged within 20 s").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        } finally {
            purger.stop();
        }
        assertThat(ids("change_log", "command_id")).hasSize(3);
    }

    private void seed(int count, Instant at, Instant expiresAt, String prefix) {
        List<CommandLogEntry> entries = new ArrayList<>();
        List<ChangeLogEntry> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            entries.add(new CommandLogEntry(id, "EVALUATION", "r-" + id, "t", "APPLIED", "req", 2L, new byte[] {1},
                    new RecordPosition("commands", 0, i), at, at, null));
            changes.add(new ChangeLogEntry("EVALUATION", "r-" + id, 2, "event-" + id, id, "t", at, new byte[] {1}, null));
        }
        jdbi.useTransaction(h -> {
            new CommandLog().insertAll(h, entries);
            new ChangeLog().insertAll(h, changes);
            for (CommandLogEntry e : entries) {
                new CommandRequests().claim(h, new CommandRequest(e.commandId(), "t", "EVALUATION", "PATCH", "/x",
                        "req", null, "key-" + e.commandId(), new byte[] {1}, CommandRequest.CLAIMED, at, at, expiresAt));
            }
        });
    }

    private List<String> ids(String table, String column) {
        return jdbi.withHandle(h -> h.createQuery("select " + column + " from " + table).mapTo(String.class).list());
    }
}
