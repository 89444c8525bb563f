package io.patchbay.devstack.fuzz;

import org.junit.jupiter.api.extension.RegisterExtension;
import io.patchbay.devstack.infra.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * Seeded hostile records on both command topics ({@link KafkaFuzzCases}) for devstack's processor, then its
 * properties: it is still running and healthy, its group has committed every partition to the end (nothing
 * stalls), every record was decided (its command is in the command log) or dead-lettered with a reason, only the
 * team's own key changed the team's resources (forged teams and actors changed nothing), another team's resources
 * are untouched, and versions and change events agree with the applied commands. {@code -Dfuzz.records} (default
 * 400), {@code -Dfuzz.seed}.
 */
class KafkaFuzzIT {

    /** Apps of its own: the hostile records would be in the way of every other test that reads the command topics. */
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.ofItsOwn("kafkafuzz");

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void hostileRecordsAreDecidedOrDeadLetteredWithoutStallingAndForgeriesChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20_261_204L);
        long records = Long.getLong("fuzz.records", 400L);
        Targets targets = Targets.create();
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", fx.namespace().registryUrl()), false);
        KafkaFuzzCases cases = new KafkaFuzzCases(seed, targets.cases, fx.topics(), serializer);
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, KafkaFuzzCases.Planned> byPosition = new HashMap<>();
        long started = System.nanoTime();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                fx.namespace().bootstrapServers(), "acks", "all", "max.request.size", 2_000_000, "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<KafkaFuzzCases.Planned> planned = new ArrayList<>();
            for (long i = 0; i < records; i++) {
                KafkaFuzzCases.Planned record = cases.next(i);
                byKind.merge(record.kind().name(), 1L, Long::sum);
                planned.add(record);
                sent.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
                if (sent.size() == 500) {
                    collect(sent, planned, byPosition);
                }
            }
            collect(sent, planned, byPosition);
        }

        Duration deadline = Duration.ofSeconds(120 + records / 20);
        Map<TopicPartition, Long> lag = Poll.until("no lag on the command topics", deadline, KafkaFuzzIT::lag,
                l -> l.values().stream().allMatch(v -> v == 0));
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, String> deadLetters = deadLetterReasons();
        Set<String> decided = decidedCommands();
        List<String> lost = new ArrayList<>();
        long dead = 0;
        long decidedCount = 0;
        for (Map.Entry<String, KafkaFuzzCases.Planned> entry : byPosition.entrySet()) {
            String reason = deadLetters.get(entry.getKey());
            KafkaFuzzCases.Planned record = entry.getValue();
            if (reason != null) {
                dead++;
                if (reason.isBlank()) {
                    lost.add(entry.getKey() + " " + record.kind() + ": dead-lettered without a reason");
                }
            } else if (record.commandId() != null && decided.contains(record.commandId())) {
                decidedCount++;
            } else {
                lost.add(entry.getKey() + " " + record.kind() + ": neither decided nor dead-lettered");
            }
        }
        StateCheck state = targets.check(byPosition.values());
        boolean running = fx.apps().processor().isRunning() && fx.apps().processor().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("patchbay-commands").isRunning();
        System.out.printf("KAFKA FUZZ seed=%d records=%d seconds=%.0f decided=%d deadLettered=%d lost=%d crashes=%d stalls=%d%n"
                        + "  by class: %s%n  state: %s%n", seed, records, seconds, decidedCount, dead, lost.size(), running ? 0 : 1,
                lag.values().stream().allMatch(v -> v == 0) ? 0 : 1, byKind, state);

        assertThat(running).as("the processor and its listener still run").isTrue();
        assertThat(lost).as("records neither decided nor dead-lettered with a reason").isEmpty();
        assertThat(state.appliedByForgeries()).as("changes made by a command that was not the team's own key").isEmpty();
        assertThat(state.foreignChanged()).as("another team's resources").isEmpty();
        assertThat(state.mismatches()).as("versions and change events against applied commands").isEmpty();
    }

    private static void collect(List<Future<RecordMetadata>> sent, List<KafkaFuzzCases.Planned> planned,
                                Map<String, KafkaFuzzCases.Planned> byPosition) throws Exception {
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata metadata = sent.get(i).get();
            byPosition.put(position(metadata.topic(), metadata.partition(), metadata.offset()), planned.get(i));
        }
        sent.clear();
        planned.clear();
    }

    private static String position(String topic, int partition, long offset) {
        return topic + ":" + partition + ":" + offset;
    }

    /** Records of both command topics the processor's group has not committed yet, per partition. */
    private static Map<TopicPartition, Long> lag() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fx.namespace().bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(fx.namespace().topicPrefix() + "-processor")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (ResourceType type : ResourceType.values()) {
                String topic = fx.topics().commands(type);
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> lag = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            admin.listOffsets(ends).all().get().forEach((tp, end) -> {
                OffsetAndMetadata done = committed.get(tp);
                lag.put(tp, end.offset() - (done == null ? 0 : done.offset()));
            });
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reason of every dead letter of both command topics, by its original position. */
    private static Map<String, String> deadLetterReasons() {
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                fx.namespace().bootstrapServers(), "max.partition.fetch.bytes", 4_000_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (ResourceType type : ResourceType.values()) {
                String topic = Topics.deadLetter(fx.topics().commands(type));
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < end) {
                    for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                        reasons.put(position(text(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC),
                                ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt(),
                                ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()),
                                text(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE));
                    }
                }
            }
        }
        return reasons;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header h = record.headers().lastHeader(header);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Set<String> decidedCommands() {
        return new HashSet<>(fx.jdbi().withHandle(h -> h.createQuery("select command_id from command_log").mapTo(String.class).list()));
    }

    /** What the state checks found; every list is empty when all is well. */
    private record StateCheck(long applied, List<String> appliedByForgeries, List<String> foreignChanged, List<String> mismatches) {
        @Override
        public String toString() {
            return "applied=" + applied + " appliedByForgeries=" + appliedByForgeries.size() + " foreignChanged="
                    + foreignChanged.size() + " mismatches=" + mismatches.size();
        }
    }

    /** Resources and keys made for the run: the acme team's, and globex resources that only a forgery could reach. */
    private record Targets(KafkaFuzzCases.Targets cases, Map<String, String> tables, Set<String> foreign) {

        static Targets create() {
            List<String> evaluations = new ArrayList<>();
            List<String> automations = new ArrayList<>();
            List<String> foreignEvaluations = List.of(fx.data().newEvaluation(DemoData.GLOBEX), fx.data().newEvaluation(DemoData.GLOBEX));
            List<String> foreignAutomations = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                evaluations.add(fx.data().newEvaluation(DemoData.ACME));
                automations.add(fx.insertAutomation(DemoData.ACME, b -> { }).getId());
            }
            for (int i = 0; i < 2; i++) {
                foreignAutomations.add(fx.insertAutomation(DemoData.GLOBEX, b -> { }).getId());
            }
            List<String> parkable = List.of(fx.data().newEvaluation(DemoData.ACME), fx.insertAutomation(DemoData.ACME, b -> { }).getId());
            String editor = keyId(fx.data().newApiKey(DemoData.ACME, "admin", "*"));
            List<String> weak = List.of(keyId(fx.data().newApiKey(DemoData.ACME, "viewer", "*")),
                    keyId(fx.data().newApiKey(DemoData.ACME, "owner", "evaluations:read", "automations:read")),
                    keyId(fx.data().newApiKey(DemoData.ACME, "owner", List.of("*"), null, Instant.now().minusSeconds(60))));
            String foreignKey = keyId(fx.data().newApiKey(DemoData.GLOBEX, "owner", "*"));
            Map<String, String> tables = new HashMap<>();
            evaluations.forEach(id -> tables.put(id, "evaluation"));
            foreignEvaluations.forEach(id -> tables.put(id, "evaluation"));
            automations.forEach(id -> tables.put(id, "automation"));
            foreignAutomations.forEach(id -> tables.put(id, "automation"));
            Set<String> foreign = new HashSet<>(foreignEvaluations);
            foreign.addAll(foreignAutomations);
            tables.put(parkable.get(0), "evaluation");
            tables.put(parkable.get(1), "automation");
            return new Targets(new KafkaFuzzCases.Targets(evaluations, automations, parkable, foreignEvaluations, foreignAutomations,
                    DemoData.ACME, DemoData.GLOBEX, editor, weak, foreignKey,
                    List.of("evl_acme_relevance", "evl_acme_toxicity", "evl_globex_relevance", "evl_nowhere")), tables, foreign);
        }

        private static String keyId(String token) {
            return token.substring(3, token.lastIndexOf('.'));
        }

        StateCheck check(java.util.Collection<KafkaFuzzCases.Planned> records) {
            Map<String, KafkaFuzzCases.Planned> byCommand = new HashMap<>();
            records.stream().filter(r -> r.commandId() != null).forEach(r -> byCommand.putIfAbsent(r.commandId(), r));
            List<Map<String, Object>> rows = fx.jdbi().withHandle(h -> h.createQuery(
                            "select command_id, resource_id, status from command_log where resource_id = any(:ids)")
                    .bind("ids", tables.keySet().toArray(String[]::new)).mapToMap().list());
            Map<String, Long> applied = new HashMap<>();
            List<String> forgeries = new ArrayList<>();
            List<String> foreignChanged = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                if (!"APPLIED".equals(row.get("status"))) {
                    continue;
                }
                String resource = (String) row.get("resource_id");
                applied.merge(resource, 1L, Long::sum);
                KafkaFuzzCases.Planned record = byCommand.get((String) row.get("command_id"));
                if (foreign.contains(resource)) {
                    foreignChanged.add(row + " from " + (record == null ? "elsewhere" : record.kind()));
                } else if (record == null || !record.legitimate()) {
                    forgeries.add(row + " from " + (record == null ? "elsewhere" : record.kind()));
                }
            }
            Map<String, Set<Long>> events = new HashMap<>();
            for (ResourceType type : ResourceType.values()) {
                fx.kafka().readAll(fx.topics().changes(type)).stream().filter(r -> tables.containsKey(r.key()))
                        .forEach(r -> events.computeIfAbsent(r.key(), k -> new HashSet<>()).add(version(r.value())));
            }
            List<String> mismatches = new ArrayList<>();
            tables.forEach((resource, table) -> {
                long expected = applied.getOrDefault(resource, 0L);
                long version = fx.jdbi().withHandle(h -> h.createQuery("select version from " + table + " where id = :id")
                        .bind("id", resource).mapTo(Long.class).one());
                int published = events.getOrDefault(resource, Set.of()).size();
                if (version != 1 + expected || published != expected) {
                    mismatches.add(resource + ": version " + version + ", change events " + published + ", applied " + expected);
                }
                if (foreign.contains(resource) && version != 1) {
                    foreignChanged.add(resource + " is at version " + version);
                }
            });
            return new StateCheck(applied.values().stream().mapToLong(Long::longValue).sum(), forgeries, foreignChanged, mismatches);
        }

        private static long version(Object event) {
            return event instanceof io.patchbay.schemas.EvaluationChanged e ? e.getVersion()
                    : ((io.patchbay.schemas.AutomationChanged) event).getVersion();
        }
    }
}
