package io.patchbay.devstack.campaign.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

import io.patchbay.devstack.campaign.check.Observation.ChangeRecord;
import io.patchbay.devstack.campaign.check.Observation.ChangeRow;
import io.patchbay.devstack.campaign.check.Observation.CommandRecord;
import io.patchbay.devstack.campaign.check.Observation.DeadLetter;
import io.patchbay.devstack.campaign.check.Observation.LogRow;
import io.patchbay.devstack.campaign.check.Observation.ResultRecord;
import io.patchbay.devstack.campaign.load.Op;
import io.patchbay.devstack.campaign.load.Op.Attempt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a campaign's whole history (every op with every answer it got) against what patchbay left behind
 * ({@link Observation}), Jepsen-style: the guarantees are properties of the history, not of any one request.
 *
 * <ul>
 *   <li>every accepted command (an acknowledged record, a 202, an outcome) is decided, and decided once: every
 *       result published for a command id is byte-identical, and equal to the command log's;</li>
 *   <li>no command changes its resource twice, no op's unique value is applied twice, and no Idempotency-Key
 *       reaches Kafka as two commands;</li>
 *   <li>versions of every resource are contiguous from 1, and every stored change is on its topic, first seen in
 *       version order, every copy identical (copies are counted, and allowed);</li>
 *   <li>every answer agrees with the command log (200: applied or unchanged, with that resource; 4xx: rejected),
 *       ops get the outcome their kind demands, and every retry with an Idempotency-Key gets the first outcome;</li>
 *   <li>only poison is dead-lettered or parked, all poison is dead-lettered, no partition is left with lag, and the
 *       final rows are the fold of the change events over the initial rows.</li>
 * </ul>
 */
public final class HistoryChecker {

    /** One broken guarantee; {@code atMillis} is when the op involved started, for ordering. */
    public record Violation(String kind, long atMillis, String detail) {

        public String describe() {
            return (atMillis == Long.MAX_VALUE ? "" : String.format("+%.1fs ", atMillis / 1000.0)) + kind + ": " + detail;
        }
    }

    /**
     * The counts a campaign reports, and every violation, earliest first. {@code phantom202s} are 202s for a command
     * that never reached Kafka (a retry answered while the original was still being published, whose publishing
     * then failed; RELIABILITY.md finding 2): a client that only polls the 202's command would wait forever. Each is
     * also a {@code PHANTOM_ACCEPT} violation, which fails the run: an accepted command that is lost.
     * {@code purged} counts decided commands whose command log entry the retention purge deleted.
     */
    public record Verdict(int ops, int notSent, int kafkaRecords, int httpRequests, int accepted, int httpAccepted, int applied,
                          int rejected, int deadLettered, int unknownOutcome, int http202, int httpRetries, int lost,
                          int appliedTwice, int versionGaps, int stuckPartitions, int duplicatedEvents,
                          int duplicatedResults, int purged, List<String> phantom202s, List<Violation> violations) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Op> ops;
    private final Observation seen;
    private final Map<String, SpecificRecord> initialRows;
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> lost = new LinkedHashSet<>();
    private final Set<String> twice = new LinkedHashSet<>();
    private final Map<String, List<ResultRecord>> resultsById = new HashMap<>();
    private final Map<String, String> commandByRequest = new HashMap<>();
    private final Map<String, Set<String>> commandsByKey = new HashMap<>();
    private final Map<String, List<ChangeRow>> changesByCommand = new HashMap<>();
    private final Map<String, List<ChangeRow>> changesByValue = new HashMap<>();
    private final Map<String, Long> opTimeByCommand = new HashMap<>();
    private final List<String> phantoms = new ArrayList<>();
    private int applied;
    private int rejected;

    private HistoryChecker(List<Op> ops, Observation seen, Map<String, SpecificRecord> initialRows) {
        this.ops = ops;
        this.seen = seen;
        this.initialRows = initialRows;
    }

    /** @param initialRows the rows before the campaign, as {@link ObservationReader#rows()} read them */
    public static Verdict check(List<Op> ops, Observation seen, Map<String, SpecificRecord> initialRows) {
        return new HistoryChecker(ops, seen, initialRows).run();
    }

    private Verdict run() {
        index();
        checkDecisions();
        checkKeys();
        int accepted = 0;
        int httpAccepted = 0;
        int unknown = 0;
        for (Op op : ops) {
            if (op.unsent() != null) {
                continue;
            }
            boolean opAccepted = op.http() ? checkHttp(op) : checkKafka(op);
            accepted += opAccepted ? 1 : 0;
            httpAccepted += opAccepted && op.http() ? 1 : 0;
            unknown += op.http() && !opAccepted && op.expect != Op.Expect.EDGE_REFUSED ? 1 : 0;
        }
        int gaps = checkVersionsAndFold();
        int duplicatedEvents = checkChangeStream();
        int deadLettered = checkDeadLetters();
        seen.lag().forEach((partition, lag) -> violation("STUCK_PARTITION", Long.MAX_VALUE,
                partition + " is " + lag + " records behind at the end"));
        seen.unreadable().forEach(u -> violation("UNKNOWN_RECORD", Long.MAX_VALUE, "cannot decode " + u));
        violations.sort(Comparator.comparingLong(Violation::atMillis));
        int kafkaRecords = ops.stream().mapToInt(op -> (int) op.sends().stream().filter(Op.Send::acked).count()).sum();
        int httpRequests = ops.stream().mapToInt(op -> op.attempts().size() + op.pendingPolls()).sum();
        int http202 = ops.stream().mapToInt(op -> (int) op.attempts().stream().filter(a -> a.status() == 202).count()).sum();
        int retries = ops.stream().mapToInt(op -> Math.max(0,
                (int) op.attempts().stream().filter(a -> a.method().equals("PATCH")).count() - 1)).sum();
        int duplicatedResults = resultsById.values().stream().mapToInt(r -> r.size() - 1).sum();
        return new Verdict(ops.size(), (int) ops.stream().filter(op -> op.unsent() != null).count(), kafkaRecords,
                httpRequests, accepted, httpAccepted, applied, rejected, deadLettered, unknown, http202, retries, lost.size(), twice.size(),
                gaps, seen.lag().size(), duplicatedEvents, duplicatedResults,
                (int) resultsById.keySet().stream().filter(id -> !seen.commandLog().containsKey(id)).count(),
                List.copyOf(phantoms), List.copyOf(violations));
    }

    private void index() {
        for (ResultRecord result : seen.results()) {
            resultsById.computeIfAbsent(result.commandId(), k -> new ArrayList<>()).add(result);
            commandByRequest.putIfAbsent(result.requestId(), result.commandId());
        }
        seen.commandLog().values().forEach(row -> commandByRequest.putIfAbsent(row.requestId(), row.commandId()));
        for (CommandRecord command : seen.commands()) {
            if (command.commandId() != null) {
                commandByRequest.putIfAbsent(command.requestId(), command.commandId());
                if (command.idempotencyKey() != null) {
                    commandsByKey.computeIfAbsent(command.idempotencyKey(), k -> new LinkedHashSet<>()).add(command.commandId());
                }
            }
        }
        for (ChangeRow change : seen.changeLog()) {
            changesByCommand.computeIfAbsent(change.commandId(), k -> new ArrayList<>()).add(change);
            String before = name(change.before());
            String after = name(change.after());
            if (!Objects.equals(before, after)) {
                changesByValue.computeIfAbsent(after, k -> new ArrayList<>()).add(change);
            }
        }
        for (Op op : ops) {
            if (op.commandId != null) {
                opTimeByCommand.putIfAbsent(op.commandId, op.startMillis);
            }
        }
    }

    /** Every decided command decided once, its result published; everything on a commands topic decided. */
    private void checkDecisions() {
        resultsById.forEach((id, results) -> {
            long at = opTimeByCommand.getOrDefault(id, Long.MAX_VALUE);
            if (results.stream().map(ResultRecord::digest).distinct().count() > 1) {
                violation("DECIDED_TWICE", at, "command " + id + " has different published results: "
                        + results.stream().map(ResultRecord::status).toList());
            }
            LogRow row = seen.commandLog().get(id);
            if (row != null && !row.resultDigest().equals(results.get(0).digest())) {
                violation("DECIDED_TWICE", at, "command " + id + ": the command log holds another result than was published");
            }
        });
        for (LogRow row : seen.commandLog().values()) {
            if (!resultsById.containsKey(row.commandId())) {
                lost(row.commandId(), opTimeByCommand.getOrDefault(row.commandId(), Long.MAX_VALUE),
                        "command " + row.commandId() + " was decided " + row.status() + " but its result was never published");
            }
        }
        Set<String> commandIds = new HashSet<>(resultsById.keySet());
        commandIds.addAll(seen.commandLog().keySet());
        for (String id : commandIds) {
            String status = status(id);
            applied += "APPLIED".equals(status) ? 1 : 0;
            rejected += "REJECTED".equals(status) ? 1 : 0;
        }
        Set<String> undecided = new LinkedHashSet<>();
        for (CommandRecord command : seen.commands()) {
            if (command.commandId() != null && !decided(command.commandId()) && undecided.add(command.commandId())) {
                lost(command.commandId(), opTimeByCommand.getOrDefault(command.commandId(), Long.MAX_VALUE),
                        "command " + command.commandId() + " (" + command.resourceKey() + ", first at " + command.position()
                                + ") is on its commands topic but was never decided");
            }
        }
        changesByCommand.forEach((id, changes) -> {
            long at = opTimeByCommand.getOrDefault(id, Long.MAX_VALUE);
            if (changes.size() > 1) {
                applied(id, at, "command " + id + " changed its resource " + changes.size() + " times: "
                        + changes.stream().map(c -> c.resourceKey() + " v" + c.version()).toList());
            }
            if (!"APPLIED".equals(status(id))) {
                violation("DECIDED_TWICE", at, "command " + id + " changed " + changes.get(0).resourceKey() + " but its"
                        + " outcome is " + status(id));
            }
        });
    }

    /** One Idempotency-Key, one command on Kafka. */
    private void checkKeys() {
        Map<String, Op> opByKey = ops.stream().filter(op -> op.idempotencyKey != null)
                .collect(Collectors.toMap(op -> op.idempotencyKey, op -> op));
        commandsByKey.forEach((key, ids) -> {
            if (ids.size() > 1) {
                Op op = opByKey.get(key);
                long at = op == null ? Long.MAX_VALUE : op.startMillis;
                violation("KEY_TWO_COMMANDS", at, "Idempotency-Key " + key + " reached Kafka as " + ids.size()
                        + " commands " + ids.stream().map(id -> id + "=" + status(id)).toList()
                        + (op == null ? "" : " for " + op.describe()));
                if (ids.stream().filter(id -> "APPLIED".equals(status(id))).count() > 1) {
                    twice.add(key);
                }
            }
        });
    }

    /** Returns whether the op was accepted (an acknowledged record). */
    private boolean checkKafka(Op op) {
        boolean acked = op.sends().stream().anyMatch(Op.Send::acked);
        if (op.action == Op.Action.POISON) {
            return acked;
        }
        String id = op.commandId;
        if (acked && !decided(id)) {
            lost(id, op.startMillis, op.describe() + " was acknowledged by Kafka but never decided");
            return true;
        }
        if (op.action == Op.Action.DUPLICATE || !decided(id)) {
            return acked;
        }
        String status = status(id);
        if (!status.equals(op.expect.name())) {
            violation("WRONG_OUTCOME", op.startMillis, op.describe() + " is " + status + ", expected " + op.expect);
        }
        int changes = changesByCommand.getOrDefault(id, List.of()).size();
        if (status.equals("APPLIED") && changes == 0) {
            lost(id, op.startMillis, op.describe() + " is APPLIED but changed nothing");
        }
        checkValueOnce(op);
        return acked;
    }

    /** Returns whether the op was accepted (a 202 or an outcome). */
    private boolean checkHttp(Op op) {
        List<Attempt> attempts = op.attempts();
        List<Attempt> outcomes = attempts.stream().filter(Attempt::isOutcome).toList();
        attempts.stream().filter(a -> a.status() == 409).findFirst().ifPresent(a -> violation("IDEMPOTENCY", op.startMillis,
                op.describe() + " was refused 409 for its own retry: " + a.body()));
        if (op.expect == Op.Expect.EDGE_REFUSED) {
            for (Attempt a : attempts) {
                if (a.status() != 400 && a.status() > 0 && a.status() < 500) {
                    violation("WRONG_OUTCOME", op.startMillis, op.describe() + " answered " + a.status() + ", expected 400");
                }
                if (a.requestId() != null && commandByRequest.containsKey(a.requestId())) {
                    violation("EDGE_LEAK", op.startMillis, op.describe() + " was refused at the edge but request "
                            + a.requestId() + " reached Kafka as command " + commandByRequest.get(a.requestId()));
                }
            }
            return false;
        }
        Set<String> commandIds = new LinkedHashSet<>();
        attempts.stream().filter(a -> a.status() == 202 && a.location() != null).forEach(a -> commandIds.add(a.location()));
        for (Attempt outcome : outcomes) {
            String id = commandOf(outcome);
            if (id != null) {
                commandIds.add(id);
            }
            checkAnswer(op, outcome, id);
        }
        checkReplays(op, outcomes);
        boolean accepted = !outcomes.isEmpty() || attempts.stream().anyMatch(a -> a.status() == 202);
        for (String id : commandIds) {
            if (decided(id)) {
                continue;
            }
            if (seen.commands().stream().anyMatch(c -> id.equals(c.commandId()))) {
                lost(id, op.startMillis, op.describe() + " was accepted as command " + id + " but it was never decided");
            } else {
                boolean retried = commandsByKey.getOrDefault(op.idempotencyKey, Set.of()).stream().anyMatch(this::decided);
                String phantom = op.describe() + ": 202 for command " + id + ", never on Kafka; " + (retried
                        ? "the key's retry made " + commandsByKey.get(op.idempotencyKey)
                        : "no command of its key was decided within the client's window") + describeAttempts(attempts);
                phantoms.add(phantom);
                violation("PHANTOM_ACCEPT", op.startMillis, phantom);
            }
        }
        checkValueOnce(op);
        return accepted;
    }

    /** A 200 names an applied or unchanged command whose resource has the body's name; a 4xx a rejected one. */
    private void checkAnswer(Op op, Attempt answer, String commandId) {
        int status = answer.effectiveStatus();
        String what = op.describe() + " answer " + status + " from adapter " + answer.adapter() + " (" + answer.method() + ")";
        if (commandId == null || !decided(commandId)) {
            violation("ANSWER_DISAGREES", op.startMillis, what + " names no decided command (request id "
                    + answer.requestId() + ")");
            return;
        }
        String decision = status(commandId);
        if (status == 200) {
            if (decision.equals("REJECTED")) {
                violation("ANSWER_DISAGREES", op.startMillis, what + " but command " + commandId + " is REJECTED");
            }
            String bodyName = bodyName(answer.body());
            String logName = resultsById.getOrDefault(commandId, List.of()).stream().map(ResultRecord::resourceName)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            if (logName != null && !logName.equals(bodyName)) {
                violation("ANSWER_DISAGREES", op.startMillis, what + " has name '" + bodyName + "' but command " + commandId
                        + " left '" + logName + "'");
            }
        } else if (!decision.equals("REJECTED")) {
            violation("ANSWER_DISAGREES", op.startMillis, what + " but command " + commandId + " is " + decision);
        }
        String expected = op.expect == Op.Expect.APPLIED ? "APPLIED" : "REJECTED";
        int expectedStatus = op.expect == Op.Expect.APPLIED ? 200
                : op.action == Op.Action.UNKNOWN_RESOURCE ? 404 : 400;
        if (!decision.equals(expected) || status != expectedStatus) {
            violation("WRONG_OUTCOME", op.startMillis, what + ": command " + commandId + " is " + decision + ", expected "
                    + expected + " (" + expectedStatus + ")");
        }
    }

    /** Every outcome of an op with a key is the first one: status, body, request id, and marked as a replay. */
    private void checkReplays(Op op, List<Attempt> outcomes) {
        if (op.idempotencyKey == null || outcomes.isEmpty()) {
            return;
        }
        Attempt first = outcomes.get(0);
        JsonNode firstBody = json(first.body());
        for (Attempt later : outcomes.subList(1, outcomes.size())) {
            String what = op.describe() + " retry " + later.method() + " to adapter " + later.adapter();
            if (later.effectiveStatus() != first.effectiveStatus() || !Objects.equals(json(later.body()), firstBody)) {
                violation("IDEMPOTENCY", op.startMillis, what + " got " + later.effectiveStatus() + " " + abbreviate(later.body())
                        + ", the first outcome was " + first.effectiveStatus() + " " + abbreviate(first.body()));
            }
            if (!Objects.equals(later.requestId(), first.requestId())) {
                violation("IDEMPOTENCY", op.startMillis, what + " answered for request " + later.requestId()
                        + ", the first outcome for " + first.requestId());
            }
            if (later.method().equals("PATCH") && !later.replayed()) {
                violation("IDEMPOTENCY", op.startMillis, what + " lacks Idempotent-Replayed: true");
            }
        }
    }

    private void checkValueOnce(Op op) {
        if (op.action != Op.Action.RENAME || op.value == null) {
            return;
        }
        List<ChangeRow> changes = changesByValue.getOrDefault(op.value, List.of());
        if (changes.size() > 1) {
            applied(op.value, op.startMillis, op.describe() + " was applied " + changes.size() + " times: "
                    + changes.stream().map(c -> c.resourceKey() + " v" + c.version() + " by " + c.commandId()).toList());
        }
    }

    /** Returns how many resources have a version gap. */
    private int checkVersionsAndFold() {
        Map<String, List<ChangeRow>> byResource = seen.changeLog().stream()
                .collect(Collectors.groupingBy(ChangeRow::resourceKey));
        int gaps = 0;
        for (Map.Entry<String, SpecificRecord> entry : seen.rows().entrySet()) {
            String key = entry.getKey();
            List<ChangeRow> changes = byResource.getOrDefault(key, List.of()).stream()
                    .sorted(Comparator.comparingLong(ChangeRow::version)).toList();
            long at = changes.isEmpty() ? Long.MAX_VALUE : opTimeByCommand.getOrDefault(changes.get(0).commandId(), Long.MAX_VALUE);
            boolean gap = false;
            for (int i = 0; i < changes.size(); i++) {
                if (changes.get(i).version() != i + 2) {
                    gap = true;
                }
            }
            long rowVersion = (Long) ((GenericRecord) entry.getValue()).get("version");
            if (gap || rowVersion != changes.size() + 1) {
                gaps++;
                violation("VERSION_GAP", at, key + " is at version " + rowVersion + " with change versions "
                        + changes.stream().map(ChangeRow::version).toList());
            }
            SpecificRecord state = initialRows.get(key);
            for (ChangeRow change : changes) {
                if (state != null && !state.equals(change.before())) {
                    violation("FOLD", opTimeByCommand.getOrDefault(change.commandId(), Long.MAX_VALUE), key + " v"
                            + change.version() + ": the event's before is not the previous state");
                }
                state = change.after();
            }
            if (state != null && !state.equals(entry.getValue())) {
                violation("FOLD", at, key + ": the final row is not the fold of its change events\n    row:  "
                        + entry.getValue() + "\n    fold: " + state);
            }
        }
        return gaps;
    }

    /** Returns how many change records were copies. */
    private int checkChangeStream() {
        Map<String, String> stored = new HashMap<>();
        seen.changeLog().forEach(c -> stored.put(c.resourceKey() + "@" + c.version(), c.digest()));
        Map<String, Long> lastFirstSeen = new HashMap<>();
        Set<String> published = new HashSet<>();
        int copies = 0;
        for (ChangeRecord record : seen.changes()) {
            String id = record.resourceKey() + "@" + record.version();
            String digest = stored.get(id);
            if (digest == null) {
                violation("EVENT_MISMATCH", Long.MAX_VALUE, id + " was published (" + record.position() + ") but is not in"
                        + " the change log");
                continue;
            }
            if (!digest.equals(record.digest())) {
                violation("EVENT_MISMATCH", Long.MAX_VALUE, "a copy of " + id + " (" + record.position() + ") differs from"
                        + " the stored event");
            }
            if (!published.add(id)) {
                copies++;
                continue;
            }
            long previous = lastFirstSeen.getOrDefault(record.resourceKey(), 1L);
            if (record.version() != previous + 1) {
                violation("EVENT_ORDER", Long.MAX_VALUE, record.resourceKey() + " v" + record.version()
                        + " was first published after v" + previous);
            }
            lastFirstSeen.put(record.resourceKey(), Math.max(previous, record.version()));
        }
        for (ChangeRow change : seen.changeLog()) {
            if (!published.contains(change.resourceKey() + "@" + change.version())) {
                lost(change.resourceKey() + "@" + change.version(), opTimeByCommand.getOrDefault(change.commandId(),
                        Long.MAX_VALUE), "change event " + change.resourceKey() + " v" + change.version() + " of command "
                        + change.commandId() + " was never published");
            }
        }
        return copies;
    }

    /** Returns how many poison ops were dead-lettered. */
    private int checkDeadLetters() {
        Map<String, Op> poison = ops.stream().filter(op -> op.action == Op.Action.POISON && op.payloadDigest() != null)
                .collect(Collectors.toMap(Op::payloadDigest, op -> op, (a, b) -> a));
        Set<String> lettered = new HashSet<>();
        for (DeadLetter letter : seen.deadLetters()) {
            if (poison.containsKey(letter.digest())) {
                lettered.add(letter.digest());
            } else {
                violation("DEAD_LETTER", Long.MAX_VALUE, "a record that is not poison was dead-lettered: " + letter.original()
                        + " key " + letter.key() + ": " + letter.reason());
            }
        }
        for (Op op : poison.values()) {
            if (op.sends().stream().anyMatch(Op.Send::acked) && !lettered.contains(op.payloadDigest())) {
                violation("DEAD_LETTER", op.startMillis, op.describe() + " was acknowledged but never dead-lettered");
            }
        }
        for (CommandRecord command : seen.commands()) {
            if (command.commandId() == null && !poison.containsKey(command.digest())) {
                violation("UNKNOWN_RECORD", Long.MAX_VALUE, command.position() + " cannot be decoded and is not the"
                        + " campaign's poison");
            }
        }
        seen.parkedKeys().stream().filter(key -> !key.startsWith("poison-")).forEach(key -> violation("PARKED",
                Long.MAX_VALUE, "key " + key + " is parked, but only poison keys may be"));
        return lettered.size();
    }

    private static String describeAttempts(List<Attempt> attempts) {
        StringBuilder text = new StringBuilder();
        for (Attempt a : attempts) {
            text.append(String.format("%n      +%.1fs..+%.1fs %s a%d -> %s%s%s", a.startMillis() / 1000.0, a.endMillis() / 1000.0,
                    a.method(), a.adapter(), a.status() == -2 ? "timeout" : a.status() == -1 ? "connection failed" : a.status(),
                    a.replayed() ? " replayed" : "", a.location() == null ? "" : " command " + a.location()));
        }
        return text.toString();
    }

    private String commandOf(Attempt answer) {
        return answer.method().equals("GET") ? answer.location() : commandByRequest.get(answer.requestId());
    }

    private boolean decided(String commandId) {
        return resultsById.containsKey(commandId) || seen.commandLog().containsKey(commandId);
    }

    private String status(String commandId) {
        LogRow row = seen.commandLog().get(commandId);
        if (row != null) {
            return row.status();
        }
        List<ResultRecord> results = resultsById.get(commandId);
        return results == null ? "UNDECIDED" : results.get(0).status();
    }

    private void lost(String id, long at, String detail) {
        lost.add(id);
        violation("LOST", at, detail);
    }

    private void applied(String id, long at, String detail) {
        twice.add(id);
        violation("APPLIED_TWICE", at, detail);
    }

    private void violation(String kind, long at, String detail) {
        violations.add(new Violation(kind, at, detail));
    }

    private static String name(SpecificRecord state) {
        Object name = state == null ? null : ((GenericRecord) state).get("name");
        return name == null ? null : name.toString();
    }

    private static String bodyName(String body) {
        JsonNode json = json(body);
        return json == null || !json.has("name") ? null : json.get("name").asString();
    }

    private static JsonNode json(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "null" : body.length() <= 160 ? body : body.substring(0, 160) + "…";
    }
}
