package io.patchbay.processor.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.processor.domain.AutomationCommandHandler;
import io.patchbay.processor.domain.EvaluationCommandHandler;
import io.patchbay.processor.parking.DeadLetterReason;
import io.patchbay.processor.parking.DeadLetters;
import io.patchbay.processor.testing.MigratedDatabase;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.RecordPosition;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;

class CommandBatchProcessorIT {

    private static final String TEAM = "team_p";

    private final SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("processor");
    private final Topics topics = new Topics(ns.topicPrefix());
    private final String topic = topics.commands(ResourceType.EVALUATION);
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
    private Jdbi jdbi;
    private CommandBatchProcessor processor;
    private long nextOffset;

    @BeforeEach
    void setUp() {
        jdbi = MigratedDatabase.jdbi(ns);
        serializer.configure(Map.of("schema.registry.url", ns.registryUrl()), false);
        processor = processor(ns.registryUrl());
        jdbi.useTransaction(h -> {
            new TeamRepository().insert(h, TEAM, "Processor tests");
            new ApiKeyRepository().insert(h, ApiKeys.withSecret("p_editor", "secret", TEAM, "editor",
                    List.of("evaluations:*")).record(), "test");
            Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (String id : List.of("e1", "e2", "e3")) {
                new EvaluationRepository().insert(h, new StoredEvaluation(EvaluationState.newBuilder()
                        .setId(id).setTeamId(TEAM).setName("start").setDescription(null).setType(EvaluationType.SxS)
                        .setStatus(EvaluationStatus.Running).setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                        .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                        .setAllowMultipleRatings(false).setEditorsCanShare(true)
                        .setCreatedAt(created).setUpdatedAt(created).setVersion(1L).build(), null));
            }
        });
    }

    private CommandBatchProcessor processor(String registryUrl) {
        Map<String, Object> serde = Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true, "max.retries", 0);
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(serde, false);
        return new CommandBatchProcessor(jdbi, topics, new CommandDecoder(topics, deserializer), serializer,
                List.of(new EvaluationCommandHandler(), new AutomationCommandHandler()), Clock.systemUTC());
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
        jdbi.useHandle(h -> new io.patchbay.store.parking.ParkedRecords().insert(h, new io.patchbay.store.parking.ParkedRecord(
                new RecordPosition(topic, 0, nextOffset++), "e2", DeadLetterReason.PARKED_BEHIND, "parked by the previous owner",
                Instant.now())));

        processor.assignmentChanged(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
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
        EvaluationUpdateCommand command = new EvaluationUpdateCommand(CommandMetadata.newBuilder()
                .setCommandId(UUID.randomUUID().toString()).setResourceType(ResourceType.EVALUATION).setResourceId(id)
                .setTeamId(TEAM).setActor(new Actor("p_editor")).setReceivedAt(Instant.now())
                .setRequestId(UUID.randomUUID().toString()).build(), EvaluationPatch.newBuilder().setName(name).build());
        return record(id, serializer.serialize(topic, command), new RecordHeaders());
    }

    private ConsumerRecord<String, byte[]> garbage(String key) {
        return record(key, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
    }

    private ConsumerRecord<String, byte[]> replay(ConsumerRecord<String, byte[]> original) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REPLAY_OF, DeadLetters.replayHeader(
                new RecordPosition(original.topic(), original.partition(), original.offset())));
        return record(original.key(), original.value(), headers);
    }

    private ConsumerRecord<String, byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 0, nextOffset++, System.currentTimeMillis(), TimestampType.CREATE_TIME,
                -1, value.length, key, value, headers, java.util.Optional.empty());
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
        ConfluentAvroDeserializer<Object> reader = new ConfluentAvroDeserializer<>();
        reader.configure(Map.of("schema.registry.url", ns.registryUrl(), "specific.avro.reader", true), false);
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
