package io.patchbay.devstack.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.devstack.faults.CommandPlan.Kind;
import io.patchbay.devstack.faults.CommandPlan.Planned;
import io.patchbay.devstack.faults.StreamDriver.HttpExchange;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;

/**
 * Checks a finished stream against the guarantees, from the outside: the database rows, and every record on
 * the commands, changes, results (and replies) and dead-letter topics.
 *
 * <ul>
 *   <li>every accepted command has exactly one command-log entry with the expected outcome, and a published result;</li>
 *   <li>per resource: versions 1..n without gaps, n - 1 applied commands, applied in their delivery order (read back
 *       from the commands topic), and the final row holds the last applied value;</li>
 *   <li>the change stream holds every version at least once, first seen in version order, and every copy is
 *       byte-identical to the stored event (same event id and version);</li>
 *   <li>nothing was dead-lettered or parked, no command the harness did not send changed anything, and every
 *       Idempotency-Key replay answered like the first request.</li>
 * </ul>
 */
public final class StreamVerifier {

    /** Where the stream ran. */
    public record Target(Jdbi jdbi, String bootstrapServers, String registryUrl, Topics topics, String processorGroup) {
    }

    /**
     * An outcome first published this long after its decision was committed did not leave with its batch: the
     * processor died (or lost Kafka) in between, and a redelivery published it from the command log.
     */
    static final Duration RECOVERY_GAP = Duration.ofSeconds(5);

    private final Target target;
    private final ConfluentAvroDeserializer<Object> deserializer;

    public StreamVerifier(Target target) {
        this.target = target;
        this.deserializer = ConfluentAvroDeserializer.specificForRegistry(target.registryUrl());
    }

    /** Waits until the processors' group has committed every commands record: each one's outcome is published. */
    public void awaitDrained(Duration deadline) {
        List<String> commandTopics = List.of(target.topics().commands(ResourceType.EVALUATION),
                target.topics().commands(ResourceType.AUTOMATION));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
            Poll.until("the processors commit every commands record", deadline, Duration.ofMillis(250), () -> {
                try {
                    List<TopicPartition> partitions = new ArrayList<>();
                    admin.describeTopics(commandTopics).allTopicNames().get().forEach((topic, description) ->
                            description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
                    var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                            .all().get();
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(target.processorGroup())
                            .partitionsToOffsetAndMetadata().get();
                    return partitions.stream().allMatch(p -> ends.get(p).offset() == 0
                            || (committed.get(p) != null && committed.get(p).offset() >= ends.get(p).offset()));
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    public FaultReport verify(String fault, String faultsInjected, long elapsedMillis, StreamDriver driver) {
        List<String> violations = new ArrayList<>();
        Db db = readDatabase();
        List<Planned> plan = driver.plan();
        Map<Integer, HttpExchange> exchanges = driver.exchanges();

        Map<String, Planned> accepted = new LinkedHashMap<>();
        int sent = 0;
        int http202 = 0;
        for (Planned planned : plan) {
            if (planned.kind().http()) {
                HttpExchange exchange = exchanges.get(planned.index());
                if (exchange == null) {
                    violations.add("http: no answer recorded for " + planned.idempotencyKey());
                    continue;
                }
                sent += 2 + exchange.retries();
                http202 += (exchange.firstStatus() == 202 ? 1 : 0) + (exchange.replayStatus() == 202 ? 1 : 0);
                checkExchange(exchange, violations);
                String commandId = db.requestKeys().get(planned.idempotencyKey());
                if (commandId == null) {
                    violations.add("http: " + planned.idempotencyKey() + " answered " + exchange.firstStatus()
                            + " but the adapter recorded no request");
                } else if (isAccepted(exchange.firstStatus()) || isAccepted(exchange.replayStatus())) {
                    accepted.put(commandId, planned);
                }
            } else if (driver.acked(planned.index())) {
                sent++;
                if (planned.kind() != Kind.DUPLICATE) {
                    accepted.put(planned.commandId(), planned);
                }
            }
        }
        driver.failedSends().forEach((index, error) -> violations.add("kafka: send of command #" + index + " failed: " + error));

        Map<String, List<Result>> results = readResults();
        Map<String, List<String>> delivered = readDeliveryOrder();
        Map<String, List<ChangeRow>> changesByResource = new HashMap<>();
        Map<String, List<ChangeRow>> changesByCommand = new HashMap<>();
        for (ChangeRow change : db.changes()) {
            changesByResource.computeIfAbsent(change.resourceKey(), k -> new ArrayList<>()).add(change);
            changesByCommand.computeIfAbsent(change.commandId(), k -> new ArrayList<>()).add(change);
        }

        int applied = 0;
        int rejected = 0;
        int recovered = 0;
        Set<String> lost = new LinkedHashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        for (Map.Entry<String, Planned> entry : accepted.entrySet()) {
            String id = entry.getKey();
            Planned planned = entry.getValue();
            LogRow row = db.log().get(id);
            if (row == null) {
                lost.add(id);
                violations.add("lost: " + describe(planned, id) + " has no command log entry");
                continue;
            }
            if (!row.status().equals(planned.expected().name())) {
                violations.add("wrong outcome: " + describe(planned, id) + " is " + row.status() + ", expected "
                        + planned.expected());
            }
            applied += row.status().equals("APPLIED") ? 1 : 0;
            rejected += row.status().equals("REJECTED") ? 1 : 0;
            List<Result> published = results.getOrDefault(id, List.of());
            if (published.isEmpty()) {
                lost.add(id);
                violations.add("lost: no result published for " + describe(planned, id));
            } else {
                if (published.stream().anyMatch(r -> !r.status().equals(row.status()))) {
                    violations.add("result of " + describe(planned, id) + " differs from its command log status " + row.status());
                }
                if (published.get(0).publishedAtMillis() - row.completedAtMillis() > RECOVERY_GAP.toMillis()) {
                    recovered++;
                }
            }
            int changes = changesByCommand.getOrDefault(id, List.of()).size();
            if (row.status().equals("APPLIED") && changes == 0) {
                lost.add(id);
                violations.add("lost: applied " + describe(planned, id) + " left no change");
            }
            if (changes > 1) {
                twice.add(id);
                violations.add("applied twice: " + describe(planned, id) + " made " + changes + " changes");
            }
        }
        for (String commandId : changesByCommand.keySet()) {
            if (!accepted.containsKey(commandId)) {
                twice.add(commandId);
                violations.add("unexpected change: command " + commandId + " was never accepted by the harness");
            }
        }

        Map<String, List<Planned>> expectedByResource = new HashMap<>();
        accepted.values().stream().filter(p -> p.expected() != null && p.expected().name().equals("APPLIED"))
                .forEach(p -> expectedByResource.computeIfAbsent(key(p.type(), p.resourceId()), k -> new ArrayList<>()).add(p));
        Map<String, Planned> byCommand = accepted.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        for (Map.Entry<String, ResourceRow> resource : db.resources().entrySet()) {
            checkResource(resource.getKey(), resource.getValue(), changesByResource.getOrDefault(resource.getKey(), List.of()),
                    expectedByResource.getOrDefault(resource.getKey(), List.of()), delivered, db, byCommand, violations);
        }
        int eventsDuplicated = checkChangeStream(db, changesByResource, violations);
        int resultsDuplicated = results.values().stream().mapToInt(r -> r.size() - 1).sum();
        int deadLetters = countRecords(Topics.deadLetter(target.topics().commands(ResourceType.EVALUATION)))
                + countRecords(Topics.deadLetter(target.topics().commands(ResourceType.AUTOMATION)));
        if (deadLetters > 0) {
            violations.add("dead letters: " + deadLetters + " valid command records were dead-lettered");
        }
        if (db.parked() > 0) {
            violations.add("parked: " + db.parked() + " records hold their keys parked");
        }
        return new FaultReport(fault, sent, accepted.size(), applied, rejected, lost.size(), twice.size(), recovered,
                eventsDuplicated, resultsDuplicated, deadLetters, http202, elapsedMillis, faultsInjected, violations);
    }

    private void checkResource(String key, ResourceRow row, List<ChangeRow> changes, List<Planned> expected,
                               Map<String, List<String>> delivered, Db db, Map<String, Planned> byCommand,
                               List<String> violations) {
        List<ChangeRow> byVersion = changes.stream().sorted((a, b) -> Long.compare(a.version(), b.version())).toList();
        for (int i = 0; i < byVersion.size(); i++) {
            if (byVersion.get(i).version() != i + 2) {
                violations.add("version gap: " + key + " has versions " + byVersion.stream().map(ChangeRow::version).toList());
                break;
            }
        }
        if (row.version() != 1 + byVersion.size()) {
            violations.add("version: " + key + " is at version " + row.version() + " after " + byVersion.size() + " changes");
        }
        if (expected.size() != byVersion.size()) {
            violations.add("count: " + key + " changed " + byVersion.size() + " times, expected " + expected.size());
        }
        List<String> appliedInDeliveryOrder = delivered.getOrDefault(key, List.of()).stream()
                .filter(id -> db.log().containsKey(id) && db.log().get(id).status().equals("APPLIED")).toList();
        List<String> appliedInVersionOrder = byVersion.stream().map(ChangeRow::commandId).toList();
        if (!appliedInDeliveryOrder.equals(appliedInVersionOrder)) {
            violations.add("order: " + key + " applied " + appliedInVersionOrder + " but they were delivered as "
                    + appliedInDeliveryOrder);
        }
        if (!appliedInDeliveryOrder.isEmpty()) {
            Planned last = byCommand.get(appliedInDeliveryOrder.get(appliedInDeliveryOrder.size() - 1));
            if (last != null && !row.name().equals(last.value())) {
                violations.add("final state: " + key + " is named '" + row.name() + "', expected '" + last.value() + "'");
            }
        }
    }

    /** Returns how many change records were re-publishes. */
    private int checkChangeStream(Db db, Map<String, List<ChangeRow>> changesByResource, List<String> violations) {
        Map<String, byte[]> stored = new HashMap<>();
        db.changes().forEach(c -> stored.put(c.resourceKey() + "@" + c.version(), c.payload()));
        Map<String, Long> lastFirstSeen = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (ResourceType type : ResourceType.values()) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(target.topics().changes(type))) {
                Object event = deserializer.deserialize(record.topic(), record.value());
                String resourceId;
                long version;
                if (event instanceof EvaluationChanged e) {
                    resourceId = e.getResourceId();
                    version = e.getVersion();
                } else {
                    AutomationChanged a = (AutomationChanged) event;
                    resourceId = a.getResourceId();
                    version = a.getVersion();
                }
                String key = key(type, resourceId);
                String id = key + "@" + version;
                byte[] expected = stored.get(id);
                if (expected == null) {
                    violations.add("change stream: " + id + " was published but is not in the change log");
                    continue;
                }
                if (!Arrays.equals(expected, record.value())) {
                    violations.add("change stream: a copy of " + id + " differs from the stored event (offset "
                            + record.offset() + ")");
                }
                if (!seen.add(id)) {
                    duplicates++;
                    continue;
                }
                long previous = lastFirstSeen.getOrDefault(key, 1L);
                if (version != previous + 1) {
                    violations.add("change stream: " + key + " version " + version + " first appeared after version " + previous);
                }
                lastFirstSeen.put(key, Math.max(previous, version));
            }
        }
        for (String id : stored.keySet()) {
            if (!seen.contains(id)) {
                violations.add("lost: change event " + id + " was never published");
            }
        }
        return duplicates;
    }

    private static void checkExchange(HttpExchange exchange, List<String> violations) {
        String key = exchange.planned().idempotencyKey();
        if (!isAccepted(exchange.firstStatus()) || !isAccepted(exchange.replayStatus())) {
            violations.add("http: " + key + " answered " + exchange.firstStatus() + " then " + exchange.replayStatus()
                    + ": " + exchange.firstBody());
            return;
        }
        if (!exchange.replayMarked()) {
            violations.add("http: the replay of " + key + " lacks Idempotent-Replayed: true");
        }
        if (exchange.requestId() != null && !exchange.requestId().equals(exchange.replayRequestId())) {
            violations.add("http: the replay of " + key + " answered with request id " + exchange.replayRequestId()
                    + ", not the first request's " + exchange.requestId());
        }
        if (exchange.firstStatus() == 200 && exchange.replayStatus() == 200 && !exchange.firstBody().equals(exchange.replayBody())) {
            violations.add("http: the replay of " + key + " answered another body");
        }
    }

    private static boolean isAccepted(int status) {
        return status == 200 || status == 202;
    }

    private static String describe(Planned planned, String commandId) {
        return planned.kind() + " #" + planned.index() + " " + commandId + " on " + planned.resourceId();
    }

    private static String key(ResourceType type, String resourceId) {
        return type.name() + ":" + resourceId;
    }

    private record LogRow(String status, String resourceType, String resourceId, long completedAtMillis) {
    }

    private record ChangeRow(String resourceKey, long version, String eventId, String commandId, byte[] payload) {
    }

    private record ResourceRow(String name, long version) {
    }

    private record Result(String status, long publishedAtMillis) {
    }

    private record Db(Map<String, LogRow> log, List<ChangeRow> changes, Map<String, ResourceRow> resources,
                      Map<String, String> requestKeys, int parked) {
    }

    private Db readDatabase() {
        return target.jdbi().withHandle(h -> {
            Map<String, LogRow> log = new HashMap<>();
            h.createQuery("select command_id, status, resource_type, resource_id,"
                            + " (extract(epoch from completed_at) * 1000)::bigint from command_log where team_id = :t")
                    .bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new LogRow(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5))))
                    .forEach(e -> log.put(e.getKey(), e.getValue()));
            List<ChangeRow> changes = h.createQuery("select resource_type, resource_id, version, event_id, command_id, payload"
                            + " from change_log where team_id = :t").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> new ChangeRow(rs.getString(1) + ":" + rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getBytes(6))).list();
            Map<String, ResourceRow> resources = new TreeMap<>();
            h.createQuery("select id, name, version from evaluation where team_id = :t").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> Map.entry(key(ResourceType.EVALUATION, rs.getString(1)),
                            new ResourceRow(rs.getString(2), rs.getLong(3))))
                    .forEach(e -> resources.put(e.getKey(), e.getValue()));
            h.createQuery("select id, name, version from automation where team_id = :t").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> Map.entry(key(ResourceType.AUTOMATION, rs.getString(1)),
                            new ResourceRow(rs.getString(2), rs.getLong(3))))
                    .forEach(e -> resources.put(e.getKey(), e.getValue()));
            Map<String, String> keys = new HashMap<>();
            h.createQuery("select idempotency_key, command_id from command_request where team_id = :t and idempotency_key"
                            + " is not null").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> keys.put(e.getKey(), e.getValue()));
            int parked = h.createQuery("select count(*) from parked_record").mapTo(Integer.class).one();
            return new Db(log, changes, resources, keys, parked);
        });
    }

    /** Every published result: on the results topic, and on the replies topic for commands an adapter sent. */
    private Map<String, List<Result>> readResults() {
        Map<String, List<Result>> results = new HashMap<>();
        for (String topic : List.of(target.topics().commandResults(), target.topics().commandReplies())) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
                CommandResult result = (CommandResult) deserializer.deserialize(record.topic(), record.value());
                results.computeIfAbsent(result.getCommandId(), k -> new ArrayList<>())
                        .add(new Result(result.getStatus().name(), record.timestamp()));
            }
        }
        return results;
    }

    /** Per resource, the command ids in the order the commands topic delivered them (first occurrence). */
    private Map<String, List<String>> readDeliveryOrder() {
        Map<String, LinkedHashSet<String>> order = new HashMap<>();
        for (ResourceType type : ResourceType.values()) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(target.topics().commands(type))) {
                Object command = deserializer.deserialize(record.topic(), record.value());
                var metadata = command instanceof EvaluationUpdateCommand e ? e.getMetadata()
                        : ((AutomationUpdateCommand) command).getMetadata();
                order.computeIfAbsent(key(type, metadata.getResourceId()), k -> new LinkedHashSet<>())
                        .add(metadata.getCommandId());
            }
        }
        Map<String, List<String>> lists = new HashMap<>();
        order.forEach((k, v) -> lists.put(k, List.copyOf(v)));
        return lists;
    }

    private int countRecords(String topic) {
        return readAll(topic).size();
    }

    /** Every record of {@code topic}, partition by partition in offset order. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return TopicReader.readAll(target.bootstrapServers(), topic);
    }
}
