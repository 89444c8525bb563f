package io.patchbay.devstack.campaign.check;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jdbi.v3.core.Jdbi;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.devstack.campaign.check.Observation.ChangeRecord;
import io.patchbay.devstack.campaign.check.Observation.ChangeRow;
import io.patchbay.devstack.campaign.check.Observation.CommandRecord;
import io.patchbay.devstack.campaign.check.Observation.DeadLetter;
import io.patchbay.devstack.campaign.check.Observation.LogRow;
import io.patchbay.devstack.campaign.check.Observation.ResultRecord;
import io.patchbay.devstack.campaign.load.Op;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.faults.TopicReader;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;

/** Reads an {@link Observation} from the database and the broker (directly, not through the fault proxy). */
public final class ObservationReader {

    private final Jdbi jdbi;
    private final String bootstrapServers;
    private final Topics topics;
    private final String processorGroup;
    private final ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();

    public ObservationReader(Jdbi jdbi, String bootstrapServers, String registryUrl, Topics topics, String processorGroup) {
        this.jdbi = jdbi;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.processorGroup = processorGroup;
        deserializer.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
    }

    /** Every resource row of the harness's team, as its Avro state, by {@link Observation#resourceKey}. */
    public Map<String, SpecificRecord> rows() {
        return jdbi.withHandle(h -> {
            Map<String, SpecificRecord> rows = new TreeMap<>();
            List<String> evaluations = h.createQuery("select id from evaluation where team_id = :t").bind("t", FaultData.TEAM)
                    .mapTo(String.class).list();
            EvaluationRepository evaluationRows = new EvaluationRepository();
            for (String id : evaluations) {
                evaluationRows.find(h, FaultData.TEAM, id).map(StoredEvaluation::state)
                        .ifPresent(state -> rows.put(Observation.resourceKey("EVALUATION", id), state));
            }
            List<String> automations = h.createQuery("select id from automation where team_id = :t").bind("t", FaultData.TEAM)
                    .mapTo(String.class).list();
            AutomationRepository automationRows = new AutomationRepository();
            for (String id : automations) {
                automationRows.findByIdOrSlug(h, FaultData.TEAM, id)
                        .ifPresent(state -> rows.put(Observation.resourceKey("AUTOMATION", id), state));
            }
            return rows;
        });
    }

    /**
     * Waits until the processors' group has committed every commands partition to its end, or the deadline
     * passes; returns the lag of every partition still behind (empty when none is).
     */
    public Map<String, Long> awaitNoLag(Duration deadline) {
        Map<String, Long>[] lag = new Map[] {Map.of()};
        try {
            Poll.until("the processors commit every commands record", deadline, Duration.ofMillis(500),
                    () -> (lag[0] = lag()).isEmpty());
        } catch (AssertionError e) {
            return lag[0];
        }
        return Map.of();
    }

    /** Commands partitions whose committed offset is behind their end, with the difference. */
    public Map<String, Long> lag() {
        List<String> commandTopics = List.of(topics.commands(ResourceType.EVALUATION), topics.commands(ResourceType.AUTOMATION));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(commandTopics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(processorGroup)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<String, Long> behind = new TreeMap<>();
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition).offset();
                OffsetAndMetadata offset = committed.get(partition);
                long at = offset == null ? 0 : offset.offset();
                if (at < end) {
                    behind.put(partition.toString(), end - at);
                }
            }
            return behind;
        } catch (Exception e) {
            return Map.of("(unreadable: " + e + ")", -1L);
        }
    }

    public Observation read(Map<String, Long> lag) {
        Map<String, LogRow> log = new HashMap<>();
        List<ChangeRow> changes = new ArrayList<>();
        Set<String> parked = new TreeSet<>();
        jdbi.useHandle(h -> {
            h.createQuery("select command_id, status, request_id, resource_type, resource_id, version, result from command_log"
                            + " where team_id = :t").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> new LogRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            Observation.resourceKey(rs.getString(4), rs.getString(5)), rs.getObject(6, Long.class),
                            digest(rs.getBytes(7))))
                    .forEach(row -> log.put(row.commandId(), row));
            h.createQuery("select resource_type, resource_id, version, command_id,"
                            + " (extract(epoch from occurred_at) * 1000)::bigint, payload from change_log where team_id = :t"
                            + " order by resource_type, resource_id, version").bind("t", FaultData.TEAM)
                    .map((rs, ctx) -> changeRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                            rs.getBytes(6)))
                    .forEach(changes::add);
            h.createQuery("select record_key from parked_record").map((rs, ctx) -> new String(rs.getBytes(1), StandardCharsets.UTF_8))
                    .forEach(parked::add);
        });
        List<CommandRecord> commands = new ArrayList<>();
        List<ResultRecord> results = new ArrayList<>();
        List<ChangeRecord> changeRecords = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String topic : topicNames()) {
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAll(bootstrapServers, topic)) {
                String position = topic + "-" + record.partition() + "@" + record.offset();
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (topic.endsWith("-dlt")) {
                    deadLetters.add(new DeadLetter(position, key, digest(record.value()), original(record),
                            header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE)));
                } else if (topic.endsWith(".commands")) {
                    commands.add(command(position, key, record.value()));
                } else if (topic.endsWith(".changes")) {
                    readChange(position, record.value(), changeRecords, unreadable);
                } else {
                    readResult(topic, position, record.value(), results, unreadable);
                }
            }
        }
        return new Observation(log, changes, rows(), parked, commands, results, changeRecords, deadLetters,
                unreadable, lag);
    }

    private List<String> topicNames() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(topics.prefix() + ".")).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("could not list the campaign's topics", e);
        }
    }

    private ChangeRow changeRow(String type, String id, long version, String commandId, long occurredAt, byte[] payload) {
        Object event = deserializer.deserialize(topics.changes(ResourceType.valueOf(type)), payload);
        SpecificRecord before = event instanceof EvaluationChanged e ? e.getBefore() : ((AutomationChanged) event).getBefore();
        SpecificRecord after = event instanceof EvaluationChanged e ? e.getAfter() : ((AutomationChanged) event).getAfter();
        return new ChangeRow(Observation.resourceKey(type, id), version, commandId, occurredAt, digest(payload), before, after);
    }

    private CommandRecord command(String position, String key, byte[] value) {
        try {
            Object command = deserializer.deserialize(position.substring(0, position.lastIndexOf('-')), value);
            CommandMetadata metadata = command instanceof EvaluationUpdateCommand e ? e.getMetadata()
                    : ((AutomationUpdateCommand) command).getMetadata();
            return new CommandRecord(position, key, metadata.getCommandId(), metadata.getRequestId(),
                    metadata.getIdempotencyKey(), Observation.resourceKey(metadata.getResourceType().name(),
                    metadata.getResourceId()), digest(value));
        } catch (RuntimeException e) {
            return new CommandRecord(position, key, null, null, null, null, digest(value));
        }
    }

    private void readChange(String position, byte[] value, List<ChangeRecord> out, List<String> unreadable) {
        try {
            Object event = deserializer.deserialize(position.substring(0, position.lastIndexOf('-')), value);
            if (event instanceof EvaluationChanged e) {
                out.add(new ChangeRecord(position, Observation.resourceKey("EVALUATION", e.getResourceId()), e.getVersion(),
                        digest(value)));
            } else {
                AutomationChanged a = (AutomationChanged) event;
                out.add(new ChangeRecord(position, Observation.resourceKey("AUTOMATION", a.getResourceId()), a.getVersion(),
                        digest(value)));
            }
        } catch (RuntimeException e) {
            unreadable.add(position + ": " + e);
        }
    }

    private void readResult(String topic, String position, byte[] value, List<ResultRecord> out, List<String> unreadable) {
        try {
            CommandResult result = (CommandResult) deserializer.deserialize(topic, value);
            Object resource = result.getResource();
            String name = resource instanceof EvaluationState e ? e.getName()
                    : resource instanceof AutomationState a ? a.getName() : null;
            out.add(new ResultRecord(topic, result.getCommandId(), result.getRequestId(), result.getStatus().name(), name,
                    digest(value)));
        } catch (RuntimeException e) {
            unreadable.add(position + ": " + e);
        }
    }

    private static String original(ConsumerRecord<byte[], byte[]> record) {
        String topic = header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        Header partition = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        return topic + "-" + (partition == null ? "?" : java.nio.ByteBuffer.wrap(partition.value()).getInt()) + "@"
                + (offset == null ? "?" : java.nio.ByteBuffer.wrap(offset.value()).getLong());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String digest(byte[] bytes) {
        return Op.digest(bytes);
    }
}
