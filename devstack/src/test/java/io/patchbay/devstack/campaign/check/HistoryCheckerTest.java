package io.patchbay.devstack.campaign.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.campaign.check.HistoryChecker.Verdict;
import io.patchbay.devstack.campaign.check.HistoryChecker.Violation;
import io.patchbay.devstack.campaign.check.Observation.ChangeRecord;
import io.patchbay.devstack.campaign.check.Observation.ChangeRow;
import io.patchbay.devstack.campaign.check.Observation.CommandRecord;
import io.patchbay.devstack.campaign.check.Observation.DeadLetter;
import io.patchbay.devstack.campaign.check.Observation.LogRow;
import io.patchbay.devstack.campaign.check.Observation.ResultRecord;
import io.patchbay.devstack.campaign.load.Op;
import io.patchbay.devstack.campaign.load.Op.Attempt;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;

/**
 * The checker on small hand-made histories: a clean one passes, and each way of breaking a guarantee is named.
 * (The campaign itself, against the real system, is {@code CampaignIT}.)
 */
class HistoryCheckerTest {

    private static final String EVAL = "EVALUATION:eval_a";

    /** A clean history: a Kafka rename, an HTTP rename replayed once, and one poison record. */
    private final class Scenario {
        final List<Op> ops = new ArrayList<>();
        final Map<String, LogRow> log = new HashMap<>();
        final List<ChangeRow> changeLog = new ArrayList<>();
        final Map<String, SpecificRecord> rows = new TreeMap<>();
        final List<CommandRecord> commands = new ArrayList<>();
        final List<ResultRecord> results = new ArrayList<>();
        final List<ChangeRecord> changes = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final Map<String, Long> lag = new TreeMap<>();
        final Map<String, SpecificRecord> initial = Map.of(EVAL, state("seed", 1));
        final Op http;

        Scenario() {
            Op kafka = new Op(0, 100, Op.Channel.KAFKA, Op.Action.RENAME, ResourceType.EVALUATION, "eval_a", "v1", null,
                    Op.Expect.APPLIED, "c1", -1);
            kafka.sent(new Op.Send(110, "t.evaluations.commands", 0, 0, null));
            ops.add(kafka);
            decide("c1", "r1", "k-unused", state("seed", 1), state("v1", 2));
            http = new Op(1, 200, Op.Channel.HTTP_SYNC, Op.Action.RENAME, ResourceType.EVALUATION, "eval_a", "v2", "k2",
                    Op.Expect.APPLIED, null, -1);
            http.attempted(patch(200, "r2", false, "{\"name\":\"v2\"}"));
            http.attempted(patch(200, "r2", true, "{\"name\":\"v2\"}"));
            ops.add(http);
            decide("c2", "r2", "k2", state("v1", 2), state("v2", 3));
            rows.put(EVAL, state("v2", 3));
            Op poison = new Op(2, 300, Op.Channel.KAFKA, Op.Action.POISON, ResourceType.EVALUATION, "poison-2", null, null,
                    Op.Expect.DEAD_LETTER, null, -1);
            poison.payload(new byte[] {1, 2, 3});
            poison.sent(new Op.Send(310, "t.evaluations.commands", 1, 0, null));
            ops.add(poison);
            commands.add(new CommandRecord("t.evaluations.commands-1@0", "poison-2", null, null, null, null, poison.payloadDigest()));
            deadLetters.add(new DeadLetter("t.evaluations.commands-dlt-1@0", "poison-2", poison.payloadDigest(),
                    "t.evaluations.commands-1@0", "magic byte"));
        }

        void decide(String commandId, String requestId, String key, EvaluationState before, EvaluationState after) {
            String digest = "result-" + commandId;
            log.put(commandId, new LogRow(commandId, "APPLIED", requestId, EVAL, after.getVersion(), digest));
            results.add(new ResultRecord("t.command-results", commandId, requestId, "APPLIED", after.getName(), digest));
            changeLog.add(new ChangeRow(EVAL, after.getVersion(), commandId, 0, "event-" + commandId, before, after));
            changes.add(new ChangeRecord("t.evaluations.changes-0@" + changes.size(), EVAL, after.getVersion(),
                    "event-" + commandId));
            commands.add(new CommandRecord("t.evaluations.commands-0@" + commands.size(), "eval_a", commandId, requestId,
                    key.equals("k-unused") ? null : key, EVAL, "command-" + commandId));
        }

        Verdict check() {
            return HistoryChecker.check(ops, new Observation(log, changeLog, rows, Set.of("poison-2"), commands, results,
                    changes, deadLetters, List.of(), lag), initial);
        }
    }

    private static EvaluationState state(String name, long version) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return EvaluationState.newBuilder().setId("eval_a").setTeamId("team").setName(name).setDescription(null)
                .setType(EvaluationType.SxS).setStatus(EvaluationStatus.Running).setShareAccess(ShareAccess.TEAM_ONLY)
                .setSharePasswordSet(false).setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true).setCreatedAt(at).setUpdatedAt(at.plusSeconds(version))
                .setVersion(version).build();
    }

    private static Attempt patch(int status, String requestId, boolean replayed, String body) {
        return new Attempt(0, "PATCH", 200, 300, status, null, requestId, replayed, null, null, body, 0);
    }

    private static List<String> kinds(Verdict verdict) {
        return verdict.violations().stream().map(Violation::kind).distinct().toList();
    }

    @Test
    void aCleanHistoryPassesWithItsCounts() {
        Verdict verdict = new Scenario().check();

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.applied()).isEqualTo(2);
        assertThat(verdict.accepted()).isEqualTo(3);
        assertThat(verdict.deadLettered()).isEqualTo(1);
        assertThat(verdict.lost() + verdict.appliedTwice() + verdict.versionGaps() + verdict.stuckPartitions()).isZero();
    }

    @Test
    void aCommandThatChangesItsResourceTwiceIsAppliedTwice() {
        Scenario s = new Scenario();
        s.changeLog.add(new ChangeRow(EVAL, 4, "c1", 0, "event-again", state("v2", 3), state("v1", 4)));
        s.changes.add(new ChangeRecord("t.evaluations.changes-0@9", EVAL, 4, "event-again"));
        s.rows.put(EVAL, state("v1", 4));

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).contains("APPLIED_TWICE");
        assertThat(verdict.appliedTwice()).isEqualTo(2);
    }

    @Test
    void anAcknowledgedCommandWithoutADecisionIsLost() {
        Scenario s = new Scenario();
        Op op = new Op(3, 400, Op.Channel.KAFKA, Op.Action.RENAME, ResourceType.EVALUATION, "eval_a", "v9", null,
                Op.Expect.APPLIED, "c9", -1);
        op.sent(new Op.Send(410, "t.evaluations.commands", 0, 7, null));
        s.ops.add(op);
        s.commands.add(new CommandRecord("t.evaluations.commands-0@7", "eval_a", "c9", "r9", null, EVAL, "command-c9"));

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).containsExactly("LOST");
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.violations().get(0).atMillis()).isEqualTo(400);
    }

    @Test
    void aMissingVersionIsAGapAndTheFoldNoLongerMatches() {
        Scenario s = new Scenario();
        s.changeLog.removeIf(c -> c.commandId().equals("c1"));
        s.changes.removeIf(c -> c.version() == 2);

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).contains("VERSION_GAP", "FOLD", "LOST");
        assertThat(verdict.versionGaps()).isEqualTo(1);
    }

    @Test
    void aFinalRowThatIsNotTheFoldOfItsEventsIsNamed() {
        Scenario s = new Scenario();
        s.rows.put(EVAL, state("written behind the log's back", 3));

        assertThat(kinds(s.check())).containsExactly("FOLD");
    }

    @Test
    void anEventNeverPublishedIsLostAndACopyIsCountedNotFailed() {
        Scenario s = new Scenario();
        s.changes.add(new ChangeRecord("t.evaluations.changes-0@5", EVAL, 2, "event-c1"));
        s.changes.removeIf(c -> c.version() == 3);

        Verdict verdict = s.check();

        assertThat(verdict.duplicatedEvents()).isEqualTo(1);
        assertThat(kinds(verdict)).containsExactly("LOST");
    }

    @Test
    void aRetryWithTheKeyThatGetsAnotherOutcomeBreaksIdempotency() {
        Scenario s = new Scenario();
        s.http.attempted(patch(200, "r2", true, "{\"name\":\"v2\",\"description\":\"not the first body\"}"));

        assertThat(kinds(s.check())).containsExactly("IDEMPOTENCY");
    }

    @Test
    void aTwoHundredThatDisagreesWithTheCommandLogIsNamed() {
        Scenario s = new Scenario();
        s.results.replaceAll(r -> r.commandId().equals("c2")
                ? new ResultRecord(r.topic(), "c2", "r2", "APPLIED", "not what the client was told", r.digest()) : r);

        assertThat(kinds(s.check())).containsExactly("ANSWER_DISAGREES");
    }

    @Test
    void differentResultsForOneCommandAreTwoDecisions() {
        Scenario s = new Scenario();
        s.results.add(new ResultRecord("t.command-results", "c1", "r1", "REJECTED", null, "another-result"));

        assertThat(kinds(s.check())).contains("DECIDED_TWICE");
    }

    @Test
    void onlyPoisonMayBeDeadLetteredAndEveryPoisonMustBe() {
        Scenario s = new Scenario();
        s.deadLetters.clear();
        s.deadLetters.add(new DeadLetter("t.evaluations.commands-dlt-0@0", "eval_a", "command-c1", "t.evaluations.commands-0@0",
                "PostgreSQL refused"));

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).containsExactly("DEAD_LETTER");
        assertThat(verdict.violations()).hasSize(2);
    }

    @Test
    void aPartitionLeftBehindIsStuck() {
        Scenario s = new Scenario();
        s.lag.put("t.evaluations.commands-3", 12L);

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).containsExactly("STUCK_PARTITION");
        assertThat(verdict.stuckPartitions()).isEqualTo(1);
    }

    @Test
    void oneIdempotencyKeyOnKafkaAsTwoCommandsIsNamed() {
        Scenario s = new Scenario();
        s.commands.add(new CommandRecord("t.evaluations.commands-0@8", "eval_a", "c2-again", "r2-again", "k2", EVAL, "x"));
        s.results.add(new ResultRecord("t.command-results", "c2-again", "r2-again", "UNCHANGED", "v2", "result-c2-again"));

        assertThat(kinds(s.check())).containsExactly("KEY_TWO_COMMANDS");
    }

    @Test
    void aTwoHundredAndTwoForACommandThatNeverReachedKafkaAndNoDecisionOfItsKeyFailsAsAPhantomAccept() {
        Scenario s = new Scenario();
        Op op = new Op(4, 500, Op.Channel.HTTP_SYNC, Op.Action.RENAME, ResourceType.EVALUATION, "eval_a", "v5", "k5",
                Op.Expect.APPLIED, null, -1);
        op.attempted(new Attempt(1, "PATCH", 500, 600, 202, null, "r5", true, "c5", null, "{}", 0));
        s.ops.add(op);

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).containsExactly("PHANTOM_ACCEPT");
        assertThat(verdict.violations().get(0).detail()).contains("c5").contains("no command of its key was decided");
        assertThat(verdict.phantom202s()).singleElement().asString().contains("c5");
    }

    @Test
    void aPhantomTwoHundredAndTwoFailsEvenWhenARetryOfItsKeyGotACommandDecided() {
        Scenario s = new Scenario();
        s.http.attempted(new Attempt(1, "PATCH", 150, 160, 202, null, "r-claim", true, "c-never-published", null, "{}", 0));

        Verdict verdict = s.check();

        assertThat(kinds(verdict)).containsExactly("PHANTOM_ACCEPT");
        assertThat(verdict.violations().get(0).detail()).contains("c-never-published").contains("the key's retry made");
        assertThat(verdict.phantom202s()).singleElement().asString().contains("c-never-published");
    }
}
