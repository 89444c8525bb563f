package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.processor.parking.DeadLetterReason;
import io.patchbay.processor.tools.DeadLetterReplay;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * Poison on a commands topic, end to end: each kind is dead-lettered with its reason and original position, parks
 * its key so that later commands for that resource cannot overtake it, and never stops its partition; rule
 * breakers and unknown resources are REJECTED instead; the replay tool re-submits dead letters after a fix, in
 * order. Everything is written to partition 0, so "the partition keeps flowing" is literal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultPoisonIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static FaultStack stack;
    private static String topic;
    private static String deadLetterTopic;
    private static final Map<String, RecordMetadata> sent = new LinkedHashMap<>();
    private static final Map<String, String> commandIds = new LinkedHashMap<>();

    @BeforeAll
    static void poisonThePartition() throws Exception {
        stack = FaultStack.start(new FaultStack.Config("poison", false, false, 3, 10, 0, Map.of()));
        stack.startInProcessProcessor();
        topic = stack.topics().commands(ResourceType.EVALUATION);
        deadLetterTopic = Topics.deadLetter(topic);
        stack.jdbi().useHandle(h -> h.execute(
                "alter table evaluation add constraint fault_test_refuses check (name not like 'forbidden%')"));

        send("a.valid", "eval_f000", rename("eval_f000", "a-before"));
        sendRaw("a.poison.bytes", "eval_f000", "{\"name\":\"not the wire format\"}".getBytes(StandardCharsets.UTF_8));
        send("a.parked", "eval_f000", rename("eval_f000", "a-after"));
        sendRaw("b.poison.schema-id", "eval_f001", unknownSchemaId());
        send("b.parked", "eval_f001", rename("eval_f001", "b-after"));
        sendRaw("c.poison.schema", "eval_f002", unreadableSchema());
        send("c.parked", "eval_f002", rename("eval_f002", "c-after"));
        send("d.poison.refused", "eval_f003", rename("eval_f003", "forbidden by the database"));
        send("d.parked", "eval_f003", rename("eval_f003", "d-after"));
        send("e.rule", "eval_f004", rename("eval_f004", "x".repeat(201)));
        send("e.valid", "eval_f004", rename("eval_f004", "e-after"));
        send("f.unknown", "eval_nope", rename("eval_nope", "nobody"));
        send("g.valid", "eval_f005", rename("eval_f005", "g-flows"));

        Poll.until("8 dead letters and 5 results", DEADLINE, Duration.ofMillis(200),
                () -> records(deadLetterTopic).size() >= 8 && results().size() >= 5);
    }

    @AfterAll
    static void close() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void eachPoisonIsDeadLetteredWithItsReasonAndOriginalPosition() {
        Map<String, ConsumerRecord<byte[], byte[]>> letters = lettersByOriginalOffset();

        assertThat(reason(letters, "a.poison.bytes")).contains("magic byte");
        assertThat(reason(letters, "b.poison.schema-id")).contains("unknown schema id 2000000000");
        assertThat(reason(letters, "c.poison.schema")).contains("cannot read it");
        assertThat(reason(letters, "d.poison.refused")).contains("fault_test_refuses");
        for (String name : List.of("a.poison.bytes", "b.poison.schema-id", "c.poison.schema", "d.poison.refused")) {
            ConsumerRecord<byte[], byte[]> letter = letters.get(name);
            assertThat(text(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic);
            assertThat(ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt()).isZero();
            assertThat(letter.partition()).isZero();
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(keyOf(name));
        }
    }

    @Test
    void laterCommandsForAPoisonedResourceAreParkedBehindItAndDoNotApply() {
        Map<String, ConsumerRecord<byte[], byte[]>> letters = lettersByOriginalOffset();

        for (String parked : List.of("a.parked", "b.parked", "c.parked")) {
            assertThat(text(letters.get(parked), KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(DeadLetterReason.PARKED_BEHIND);
        }
        assertThat(reason(letters, "a.parked")).contains(topic + "-0@" + sent.get("a.poison.bytes").offset());
        assertThat(name("eval_f000")).isEqualTo("a-before");
        assertThat(name("eval_f001")).startsWith("seeded");
        assertThat(results()).doesNotContainKeys(commandIds.get("a.parked"), commandIds.get("b.parked"));
    }

    @Test
    void rejectionsAreOutcomesAndThePartitionKeepsFlowing() {
        Map<String, CommandResult> results = results();

        assertThat(results.get(commandIds.get("e.rule")).getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(results.get(commandIds.get("e.rule")).getErrors().get(0).getField()).isEqualTo("name");
        assertThat(results.get(commandIds.get("f.unknown")).getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(results.get(commandIds.get("f.unknown")).getErrors().get(0).getCode()).isEqualTo("evaluation_not_found");
        assertThat(results.get(commandIds.get("e.valid")).getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(results.get(commandIds.get("g.valid")).getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(name("eval_f005")).isEqualTo("g-flows");
        assertThat(sent.values()).extracting(RecordMetadata::partition).containsOnly(0);
        assertThat(sent.get("g.valid").offset()).isGreaterThan(sent.get("d.poison.refused").offset());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void replayAfterTheFixAppliesParkedCommandsInOrderAndPoisonThatStaysPoisonKeepsItsKeyParked() throws Exception {
        stack.jdbi().useHandle(h -> h.execute("alter table evaluation drop constraint fault_test_refuses"));
        int lettersBefore = records(deadLetterTopic).size();

        List<DeadLetterReplay.Letter> replayed = replay();

        assertThat(replayed).hasSize(lettersBefore);
        Poll.until("the parked commands of eval_f003 applied", DEADLINE, () -> name("eval_f003").equals("d-after"));
        assertThat(changedNames("eval_f003")).containsExactly("forbidden by the database", "d-after");
        Poll.until("the replays of the other poison are dead-lettered again", DEADLINE,
                () -> records(deadLetterTopic).size() >= lettersBefore + 6);
        assertThat(name("eval_f000")).isEqualTo("a-before");

        send("d.direct", "eval_f003", rename("eval_f003", "d-direct"));
        send("a.still-parked", "eval_f000", rename("eval_f000", "a-still"));
        Poll.until("the released resource applies directly", DEADLINE, () -> name("eval_f003").equals("d-direct"));
        Poll.until("the still-poisoned resource parks its new command", DEADLINE,
                () -> records(deadLetterTopic).size() >= lettersBefore + 7);
        assertThat(name("eval_f000")).isEqualTo("a-before");
        assertThat(replay()).hasSize(7);
    }

    private static List<DeadLetterReplay.Letter> replay() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return DeadLetterReplay.run(DeadLetterReplay.Options.parse("--bootstrap-servers", stack.broker().bootstrapServers(),
                "--topic-prefix", stack.topics().prefix()), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static EvaluationUpdateCommand rename(String id, String name) {
        return TestCommands.renameEvaluation(id, FaultData.TEAM, FaultData.KEY_ID, name);
    }

    private static void send(String name, String key, EvaluationUpdateCommand command) throws Exception {
        ConfluentAvroSerializer<Object> serializer = ConfluentAvroSerializer.forRegistry(stack.registryUrl());
        commandIds.put(name, command.getMetadata().getCommandId());
        sendRaw(name, key, serializer.serialize(topic, command));
    }

    private static void sendRaw(String name, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.broker().bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            sent.put(name, producer.send(new ProducerRecord<>(topic, 0, key, value)).get());
        }
    }

    private static String keyOf(String name) {
        return switch (name.charAt(0)) {
            case 'a' -> "eval_f000";
            case 'b' -> "eval_f001";
            case 'c' -> "eval_f002";
            default -> "eval_f003";
        };
    }

    private static byte[] unknownSchemaId() {
        return ByteBuffer.allocate(9).put((byte) 0).putInt(2_000_000_000).putInt(42).array();
    }

    /** A record the registry knows, named like the command, whose shape the processor's generated class cannot read. */
    private static byte[] unreadableSchema() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"EvaluationUpdateCommand\","
                + "\"namespace\":\"io.patchbay.schemas\",\"fields\":[{\"name\":\"metadata\",\"type\":\"string\"}]}");
        GenericData.Record record = new GenericData.Record(schema);
        record.put("metadata", "not a metadata record");
        ConfluentAvroSerializer<Object> serializer = ConfluentAvroSerializer.forRegistry(stack.registryUrl());
        return serializer.serialize(stack.topics().prefix() + ".poison-writer", record);
    }

    private static Map<String, ConsumerRecord<byte[], byte[]>> lettersByOriginalOffset() {
        Map<Long, String> names = new LinkedHashMap<>();
        sent.forEach((name, metadata) -> names.put(metadata.offset(), name));
        Map<String, ConsumerRecord<byte[], byte[]>> letters = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : records(deadLetterTopic)) {
            long original = ByteBuffer.wrap(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong();
            letters.putIfAbsent(names.get(original), letter);
        }
        return letters;
    }

    private static String reason(Map<String, ConsumerRecord<byte[], byte[]>> letters, String name) {
        assertThat(letters).as("dead letter of " + name).containsKey(name);
        return text(letters.get(name), KafkaHeaders.DLT_EXCEPTION_MESSAGE);
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(String topicName) {
        return stack.verifier().readAll(topicName);
    }

    private static Map<String, CommandResult> results() {
        ConfluentAvroDeserializer<Object> deserializer = deserializer();
        Map<String, CommandResult> results = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records(stack.topics().commandResults())) {
            CommandResult result = (CommandResult) deserializer.deserialize(record.topic(), record.value());
            results.put(result.getCommandId(), result);
        }
        return results;
    }

    private static List<String> changedNames(String id) {
        ConfluentAvroDeserializer<Object> deserializer = deserializer();
        List<String> names = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records(stack.topics().changes(ResourceType.EVALUATION))) {
            var event = (io.patchbay.schemas.EvaluationChanged) deserializer.deserialize(record.topic(), record.value());
            if (event.getResourceId().equals(id)) {
                names.add(event.getAfter().getName());
            }
        }
        return names;
    }

    private static ConfluentAvroDeserializer<Object> deserializer() {
        return ConfluentAvroDeserializer.specificForRegistry(stack.registryUrl());
    }

    private static String name(String id) {
        return stack.jdbi().withHandle(h -> h.createQuery("select name from evaluation where id = :id").bind("id", id)
                .mapTo(String.class).one());
    }
}
