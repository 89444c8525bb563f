package io.patchbay.processor.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.store.parking.ParkedRecord;
import io.patchbay.store.parking.ParkedRecords;
import io.patchbay.processor.config.CommandBatchProcessors;
import io.patchbay.processor.parking.DeadLetterReason;
import io.patchbay.processor.parking.DeadLetters;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.store.RecordPosition;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.data.TestStates;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.CommandRecords;

class CommandBatchProcessorIT {

    private static final String TEAM = "team_p";
    private static final String KEY = "p_editor";

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("processor");

    private Topics topics;
    private String topic;
    private Jdbi jdbi;
    private CommandRecords records;
    private CommandBatchProcessor processor;

    @BeforeEach
    void setUp() {
        jdbi = ns.jdbi();
        topics = ns.topics();
        topic = topics.commands(ResourceType.EVALUATION);
        records = new CommandRecords(topic, 0, ns.serializer());
        processor = processor(ns.registryUrl());
        jdbi.useTransaction(h -> {
            new TeamRepository().insert(h, TEAM, "Processor tests");
            new ApiKeyRepository().insert(h, ApiKeys.withSecret(KEY, "secret", TEAM, "editor",
                    List.of(Scopes.EVALUATIONS_ALL)).record(), "test");
            for (String id : List.of("e1", "e2", "e3")) {
                new EvaluationRepository().insert(h, new StoredEvaluation(TestStates.evaluation(id, TEAM).setName("start")
                        .setStatus(EvaluationStatus.Running).build(), null));
            }
        });
    }

    /** The processor as the app assembles it, decoding without registry retries so that an outage shows at once. */
    private CommandBatchProcessor processor(String registryUrl) {
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.SPECIFIC_AVRO_READER, true,
                SerdeConfig.MAX_RETRIES, 0), false);
        return CommandBatchProcessors.on(jdbi, topics).registry(ns.registryUrl()).deserializer(deserializer).build();
    }

    @Test
    void poisonIsDeadLetteredWithItsReasonAndParksOnlyItsKey() {
        var batch = List.of(rename("e1", "one"), garbage("e2"), rename("e2", "after poison"), rename("e3", "three"));

        List<ProducerRecord<String, byte[]>> out = processor.process(batch);

        assertThat(names()).containsExactly("one", "start", "three");
        assertThat(versions()).containsExactly(2L, 1L, 2L);
        List<ProducerRecord<String, byte[]>> letters = deadLetters(out);
        assertThat(letters).extracting(ProducerRecord::key).containsExactly("e2", "e2");
        assertThat(letters).extracting(ProducerRecord::topic).containsOnly(topic + "-dlt");
        assertThat(header(letters.get(0), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("magic byte");
        assertThat(header(letters.get(0), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic);
        assertThat(ByteBuffer.wrap(letters.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong())
                .isEqualTo(batch.get(1).offset());
        assertThat(header(letters.get(1), KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(DeadLetterReason.PARKED_BEHIND);
        assertThat(header(letters.get(1), KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains(topic + "-0@" + batch.get(1).offset()).contains("magic byte");
        assertThat(parkedOffsets()).containsExactly(batch.get(1).offset(), batch.get(2).offset());
    }

    @Test
    void laterBatchesKeepParkingTheKeyAndARedeliveryRepublishesIdenticalDeadLetters() {
        var first = List.of(garbage("e2"));
        processor.process(first);
        var later = rename("e2", "later");

        List<ProducerRecord<String, byte[]>> out = processor.process(List.of(later, rename("e1", "free")));
        List<ProducerRecord<String, byte[]>> again = processor.process(List.of(later));

        assertThat(names()).containsExactly("free", "start", "start");
        assertThat(deadLetters(out)).hasSize(1);
        assertThat(deadLetters(again)).hasSize(1);
        assertThat(deadLetters(again).get(0).value()).isEqualTo(deadLetters(out).get(0).value());
        assertThat(headers(deadLetters(again).get(0))).isEqualTo(headers(deadLetters(out).get(0)));
        assertThat(parkedOffsets()).containsExactly(first.get(0).offset(), later.offset());
    }

    @Test
    void aCommandPostgresRefusesIsSetAsideAndTheRestOfTheBatchCommits() {
        jdbi.useHandle(h -> h.execute("alter table evaluation add constraint no_forbidden check (name not like 'forbidden%')"));
        var batch = List.of(rename("e1", "one"), rename("e2", "forbidden name"), rename("e2", "behind"), rename("e3", "three"));

        List<ProducerRecord<String, byte[]>> out = processor.process(batch);

        assertThat(names()).containsExactly("one", "start", "three");
        assertThat(versions()).containsExactly(2L, 1L, 2L);
        assertThat(deadLetters(out)).hasSize(2);
        assertThat(header(deadLetters(out).get(0), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("no_forbidden");
        assertThat(results(out)).hasSize(2);
        assertThat(commandLogCount()).isEqualTo(2);
    }

    @Test
    void replayAfterTheFixAppliesParkedRecordsInTheirOrderAndReleasesTheKey() {
        jdbi.useHandle(h -> h.execute("alter table evaluation add constraint no_forbidden check (name not like 'forbidden%')"));
        var poison = rename("e2", "forbidden name");
        var behind = rename("e2", "behind");
        processor.process(List.of(poison, behind));
        jdbi.useHandle(h -> h.execute("alter table evaluation drop constraint no_forbidden"));

        List<ProducerRecord<String, byte[]>> out = processor.process(List.of(replay(poison), replay(behind)));
        processor.process(List.of(rename("e2", "direct")));

        assertThat(deadLetters(out)).isEmpty();
        assertThat(events(out)).hasSize(2);
        assertThat(changeLogNames("e2")).containsExactly("forbidden name", "behind", "direct");
        assertThat(versions()).containsExactly(1L, 4L, 1L);
        assertThat(parkedOffsets()).isEmpty();
    }

    @Test
    void aReplayCannotOvertakeAnEarlierRecordThatIsStillParked() {
        var poison = garbage("e2");
        var behind = rename("e2", "behind");
        processor.process(List.of(poison, behind));

        List<ProducerRecord<String, byte[]>> out = processor.process(List.of(replay(behind), replay(poison)));

        assertThat(names()).containsExactly("start", "start", "start");
        assertThat(deadLetters(out)).hasSize(2);
        assertThat(deadLetters(out)).allSatisfy(letter -> assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic));
        assertThat(deadLetters(out)).extracting(l -> ByteBuffer.wrap(l.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                .value()).getLong()).containsExactly(behind.offset(), poison.offset());
        assertThat(parkedOffsets()).containsExactly(poison.offset(), behind.offset());
    }

    @Test
    void aRedeliveredBatchRepublishesItsStoredOutcomesAndAppliesNothingAgain() {
        var first = List.of(rename("e1", "once"), rename("e2", "once too"));

        List<ProducerRecord<String, byte[]>> out = processor.process(first);
        List<ProducerRecord<String, byte[]>> again = processor.process(first);

        assertThat(versions()).containsExactly(2L, 2L, 1L);
        assertThat(again).extracting(ProducerRecord::topic).isEqualTo(out.stream().map(ProducerRecord::topic).toList());
        assertThat(again).extracting(ProducerRecord::value).containsExactlyElementsOf(out.stream().map(ProducerRecord::value).toList());
        assertThat(commandLogCount()).isEqualTo(2);
    }

    @Test
    void aKeyParkedBeforeThePartitionCameHereIsHonouredOnceTheAssignmentChanges() {
        processor.process(List.of(rename("e1", "nothing parked here")));
        RecordPosition parkedBefore = new RecordPosition(topic, 0, records.skipOffset());
        jdbi.useHandle(h -> new ParkedRecords().insert(h, new ParkedRecord(parkedBefore, "e2", DeadLetterReason.PARKED_BEHIND,
                "parked by the previous owner", Instant.now())));

        processor.assignmentChanged(List.of(new TopicPartition(topic, 0)));
        List<ProducerRecord<String, byte[]>> out = processor.process(List.of(rename("e2", "must wait")));

        assertThat(deadLetters(out)).hasSize(1);
        assertThat(names()).containsExactly("nothing parked here", "start", "start");
    }

    @Test
    void anUnreachableRegistryIsRetriedNotDeadLettered() {
        CommandBatchProcessor blind = processor("http://127.0.0.1:9");
        var command = rename("e1", "needs the registry");

        assertThatThrownBy(() -> blind.process(List.of(command))).isInstanceOf(CommandDecoder.RegistryDownException.class);
        assertThat(parkedOffsets()).isEmpty();
        assertThat(names()).containsExactly("start", "start", "start");
    }

    private ConsumerRecord<String, byte[]> rename(String id, String name) {
        return records.command(id, TestCommands.renameEvaluation(id, TEAM, KEY, name));
    }

    private ConsumerRecord<String, byte[]> garbage(String key) {
        return records.garbage(key);
    }

    private ConsumerRecord<String, byte[]> replay(ConsumerRecord<String, byte[]> original) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REPLAY_OF, DeadLetters.replayHeader(
                new RecordPosition(original.topic(), original.partition(), original.offset())));
        return records.record(original.key(), original.value(), headers);
    }

    private List<String> names() {
        return jdbi.withHandle(h -> h.createQuery("select name from evaluation order by id").mapTo(String.class).list());
    }

    private List<Long> versions() {
        return jdbi.withHandle(h -> h.createQuery("select version from evaluation order by id").mapTo(Long.class).list());
    }

    private int commandLogCount() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from command_log").mapTo(Integer.class).one());
    }

    private List<String> changeLogNames(String id) {
        ConfluentAvroDeserializer<Object> reader = ns.deserializer();
        return jdbi.withHandle(h -> h.createQuery("select payload from change_log where resource_type = 'EVALUATION'"
                        + " and resource_id = :id order by version").bind("id", id).mapTo(byte[].class).list()).stream()
                .map(payload -> ((io.patchbay.schemas.EvaluationChanged) reader.deserialize(
                        topics.changes(ResourceType.EVALUATION), payload)).getAfter().getName()).toList();
    }

    private List<Long> parkedOffsets() {
        return jdbi.withHandle(h -> h.createQuery("select source_offset from parked_record order by source_topic,"
                + " source_partition, source_offset").mapTo(Long.class).list());
    }

    private List<ProducerRecord<String, byte[]>> deadLetters(List<ProducerRecord<String, byte[]>> out) {
        return out.stream().filter(r -> r.topic().endsWith("-dlt")).toList();
    }

    private List<ProducerRecord<String, byte[]>> results(List<ProducerRecord<String, byte[]>> out) {
        return out.stream().filter(r -> r.topic().equals(topics.commandResults())).toList();
    }

    private List<ProducerRecord<String, byte[]>> events(List<ProducerRecord<String, byte[]>> out) {
        return out.stream().filter(r -> r.topic().equals(topics.changes(ResourceType.EVALUATION))).toList();
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<String> headers(ProducerRecord<String, byte[]> record) {
        List<String> all = new ArrayList<>();
        record.headers().forEach(h -> all.add(h.key() + "=" + java.util.HexFormat.of().formatHex(h.value())));
        return all;
    }
}
