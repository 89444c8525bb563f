package io.patchbay.store.commandlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.testing.StoreExtension;

/** The command log decides each command id once, reads back what it stored, and is purged in bounded batches. */
class CommandLogIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.654321Z");

    private final Handle h = store.handle();
    private final CommandLog commandLog = new CommandLog();

    @Test
    void anEntryReadsBackAsStoredWithTheRecordThatDecidedIt() {
        CommandLogEntry entry = entry("c1", 7, NOW);
        commandLog.insertAll(h, List.of(entry));

        CommandLogEntry read = commandLog.find(h, "c1").orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(entry);
        assertThat(read.source()).hasToString("patchbay.evaluation.commands-2@7");
        assertThat(commandLog.findAll(h, List.of("c1", "c2"))).containsOnlyKeys("c1");
    }

    @Test
    void aCommandIdRecordedMeanwhileFailsTheWholeInsert() {
        commandLog.insertAll(h, List.of(entry("c1", 1, NOW)));

        assertThatThrownBy(() -> store.useTransaction(tx -> commandLog.insertAll(tx,
                List.of(entry("c2", 2, NOW), entry("c1", 3, NOW)))))
                .isInstanceOf(CommandLog.AlreadyDecidedException.class).hasMessageContaining("c1");
        assertThat(commandLog.findAll(h, List.of("c1", "c2"))).containsOnlyKeys("c1");
        assertThat(commandLog.find(h, "c1")).map(e -> e.source().offset()).contains(1L);
    }

    @Test
    void purgeDeletesOnlyEntriesCompletedBeforeTheCutoffAtMostABatchAtATime() {
        List<CommandLogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry("old-" + i, i, NOW.minusSeconds(60)));
        }
        entries.add(entry("recent", 9, NOW));
        commandLog.insertAll(h, entries);

        List<Integer> batches = new ArrayList<>();
        int deleted;
        do {
            deleted = commandLog.purgeCompletedBefore(h, NOW.minusSeconds(1), 3);
            batches.add(deleted);
        } while (deleted > 0);

        assertThat(batches).containsExactly(3, 2, 0);
        assertThat(commandLog.findAll(h, entries.stream().map(CommandLogEntry::commandId)
                .toList())).containsOnlyKeys("recent");
    }

    private static CommandLogEntry entry(String commandId, long offset, Instant completedAt) {
        return new CommandLogEntry(commandId, "EVALUATION", "e1", "team_a", "APPLIED", "req-" + commandId, 2L,
                new byte[] {0, 0, 0, 0, 1, 42}, new RecordPosition("patchbay.evaluation.commands", 2, offset),
                completedAt.minusMillis(5), completedAt, "/api/v1/evaluations/e1");
    }
}
