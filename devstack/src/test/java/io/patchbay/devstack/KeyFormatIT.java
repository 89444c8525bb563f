package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.testing.kafka.TopicTail;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;

/**
 * {@code patchbay.processor.key-format}: the keys of change events and of results on the results topic, read back with
 * the deserializer that matches each format, and the adapter still completing its PATCH in either format (its replies,
 * on the replies topic, are keyed by the command id as UTF-8 whatever the format).
 */
class KeyFormatIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    /** A stack of its own whose processor writes Avro keys. */
    @RegisterExtension
    static final PatchbayStack avroKeys = PatchbayStack.ofItsOwn("keyformat", Map.of("patchbay.processor.key-format", "avro",
            "patchbay.api.command-wait", "30s"));

    @AfterAll
    static void closeAvroKeys() {
        avroKeys.close();
    }

    @Test
    void stringKeysAreTheIdsAsUtf8ForAStringDeserializer() {
        String name = "String keys " + UUID.randomUUID();

        HttpResponse<String> patch = fx.http().patchEvaluation("eval_acme_running", fx.token("acme_editor"),
                "{\"name\":\"" + name + "\"}").send();

        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> event = Poll.until("the change event of " + name, DEADLINE,
                () -> fx.kafka().tail(fx.topics().changes(ResourceType.EVALUATION)).upToNow().stream()
                        .filter(r -> fx.kafka().decode(r) instanceof EvaluationChanged e
                                && e.getAfter().getName().equals(name)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(event.key()).isEqualTo("eval_acme_running");
        String commandId = ((EvaluationChanged) fx.kafka().decode(event)).getCommandId();
        TopicTail replies = fx.kafka().tail(fx.topics().commandReplies());
        ConsumerRecord<String, byte[]> reply = Poll.until("the adapter's reply to " + commandId, DEADLINE,
                () -> replies.upToNow().stream().filter(r -> commandId.equals(r.key())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(((CommandResult) fx.kafka().decode(reply)).getCommandId()).as("the adapter's reply").isEqualTo(commandId);

        EvaluationUpdateCommand direct = TestCommands.renameEvaluation("eval_acme_running", DemoData.ACME, "acme_editor",
                name + " direct");
        fx.kafka().produce(fx.topics().commands(ResourceType.EVALUATION), "eval_acme_running", direct);

        String directId = direct.getMetadata().getCommandId();
        assertThat(fx.kafka().awaitResult(directId).getCommandId()).as("a result on the results topic, keyed by the id as UTF-8")
                .isEqualTo(directId);
    }

    @Test
    void avroKeysAreConfluentFramedStringsForAnAvroKeyDeserializerAndTheAdapterStillGetsItsOutcome() {
        SharedInfrastructure.Namespace ns = avroKeys.namespace();
        Topics topics = avroKeys.topics();
        HttpResponse<String> patch = avroKeys.http().patchEvaluation("eval_acme_draft", avroKeys.token("acme_editor"),
                "{\"name\":\"Avro keys\"}").timeout(Duration.ofSeconds(90)).send();

        assertThat(patch.statusCode()).as("the adapter reads its outcome from a result with an Avro key: " + patch.body())
                .isEqualTo(200);
        ConfluentAvroDeserializer<Object> keys = deserializer(ns, true);
        ConfluentAvroDeserializer<Object> values = deserializer(ns, false);
        String changes = topics.changes(ResourceType.EVALUATION);
        ConsumerRecord<byte[], byte[]> event = read(ns, changes, 1).get(0);
        EvaluationChanged changed = (EvaluationChanged) values.deserialize(changes, event.value());
        assertThat(event.key()[0]).as("Confluent magic byte").isZero();
        assertThat(keys.deserialize(changes, event.key())).isEqualTo("eval_acme_draft").isEqualTo(changed.getResourceId());
        assertThat(new StringDeserializer().deserialize(changes, event.key())).isNotEqualTo("eval_acme_draft");
        EvaluationUpdateCommand directCommand = TestCommands.renameEvaluation("eval_acme_draft", DemoData.ACME,
                "acme_editor", "Avro keys, direct");
        String direct = directCommand.getMetadata().getCommandId();
        avroKeys.kafka().produce(topics.commands(ResourceType.EVALUATION), "eval_acme_draft", directCommand);
        ConsumerRecord<byte[], byte[]> result = read(ns, topics.commandResults(), 1).get(0);
        assertThat(keys.deserialize(topics.commandResults(), result.key()))
                .isEqualTo(((CommandResult) values.deserialize(topics.commandResults(), result.value())).getCommandId())
                .isEqualTo(direct);
        assertThat(changed.getCommandId()).as("the HTTP command's result went to the adapter's reply partition")
                .isNotEqualTo(direct);
        var registry = SchemaRegistryClients.forUrl(ns.registryUrl());
        assertThat(registry.latest(changes + "-key").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(registry.latest(topics.commandResults() + "-key").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
    }

    private static ConfluentAvroDeserializer<Object> deserializer(SharedInfrastructure.Namespace ns, boolean isKey) {
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, ns.registryUrl(), SerdeConfig.SPECIFIC_AVRO_READER, true), isKey);
        return deserializer;
    }

    /** The first {@code count} records of {@code topic}, raw. */
    private static List<ConsumerRecord<byte[], byte[]>> read(SharedInfrastructure.Namespace ns, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (records.size() < count && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records on " + topic).hasSizeGreaterThanOrEqualTo(count);
        return records;
    }
}
