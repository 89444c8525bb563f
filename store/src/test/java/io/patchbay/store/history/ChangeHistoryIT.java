package io.patchbay.store.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.testing.StoreExtension;

/** History reads: one resource's versions newest first, a team's feed in a stable order that no later commit skips. */
class ChangeHistoryIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final List<String> BOTH = List.of("EVALUATION", "AUTOMATION");

    private final Handle h = store.handle();
    private final ChangeLog changeLog = new ChangeLog();
    private final ChangeHistory history = new ChangeHistory();

    @Test
    void versionsComeNewestFirstPagedBelowAVersionAndOnlyForTheResourcesTeam() {
        changeLog.insertAll(h, List.of(change("EVALUATION", "e1", 1, "team_a"), change("EVALUATION", "e1", 2, "team_a"),
                change("EVALUATION", "e1", 3, "team_a"), change("AUTOMATION", "e1", 1, "team_a")));

        assertThat(versions(history.versions(h, "team_a", "EVALUATION", "e1", OptionalLong.empty(), 2))).containsExactly(3L, 2L);
        assertThat(versions(history.versions(h, "team_a", "EVALUATION", "e1", OptionalLong.of(2), 2))).containsExactly(1L);
        assertThat(history.versions(h, "team_b", "EVALUATION", "e1", OptionalLong.empty(), 10)).isEmpty();
    }

    @Test
    void feedContinuesAfterAPositionAndKeepsToTheTeamAndTypes() {
        changeLog.insertAll(h, List.of(change("EVALUATION", "e1", 1, "team_a"), change("AUTOMATION", "a1", 1, "team_a"),
                change("EVALUATION", "e2", 1, "team_b"), change("EVALUATION", "e1", 2, "team_a")));

        List<FeedEntry> first = history.feed(h, "team_a", BOTH, null, 2);
        List<FeedEntry> rest = history.feed(h, "team_a", BOTH, first.get(1).position(), 10);

        assertThat(ids(first)).containsExactly("EVALUATION/e1@1", "AUTOMATION/a1@1");
        assertThat(ids(rest)).containsExactly("EVALUATION/e1@2");
        assertThat(ids(history.feed(h, "team_a", List.of("AUTOMATION"), null, 10))).containsExactly("AUTOMATION/a1@1");
    }

    @Test
    void aChangeCommittedWhileAnEarlierTransactionIsOpenWaitsSoThatNoCursorSkipsTheEarlierOne() {
        changeLog.insertAll(h, List.of(change("EVALUATION", "e0", 1, "team_a")));
        FeedPosition seen = history.feed(h, "team_a", BOTH, null, 10).get(0).position();
        try (Handle earlier = store.jdbi().open()) {
            earlier.begin();
            earlier.createQuery("select pg_current_xact_id()::text").mapTo(String.class).one();
            changeLog.insertAll(h, List.of(change("EVALUATION", "later", 1, "team_a")));
            changeLog.insertAll(earlier, List.of(change("EVALUATION", "earlier", 1, "team_a")));

            assertThat(history.feed(h, "team_a", BOTH, seen, 10)).isEmpty();

            earlier.commit();
        }
        assertThat(ids(history.feed(h, "team_a", BOTH, seen, 10))).containsExactly("EVALUATION/earlier@1", "EVALUATION/later@1");
    }

    private static ChangeLogEntry change(String type, String id, long version, String team) {
        String eventId = type + "/" + id + "@" + version;
        return new ChangeLogEntry(type, id, version, eventId, "cmd-" + eventId, team, Instant.parse("2026-03-01T12:00:00Z"),
                new byte[] {0, 0, 0, 0, 1, (byte) version}, null);
    }

    private static List<Long> versions(List<ChangeLogEntry> entries) {
        return entries.stream().map(ChangeLogEntry::version).toList();
    }

    private static List<String> ids(List<FeedEntry> entries) {
        return entries.stream().map(e -> e.change().eventId()).toList();
    }
}
