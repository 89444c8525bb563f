package io.patchbay.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.testing.ApicurioRegistry;
import io.patchbay.schemas.testing.Fixtures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An independent implementation as oracle: Apicurio's own Avro serde (2.6.13, talking to the registry's native
 * v2 API) in Confluent-compatible mode. What it writes, we read; what we write, it reads. Both sides use the
 * registry's content ids, which are what the ccompat API calls schema ids.
 */
class ApicurioSerdeCrossCheckIT {

    private static SchemaRegistryProcess registry;
    private static SchemaRegistryClient client;

    private final String topic = "cross-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> theirs = new ArrayList<>();

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.shared();
        client = SchemaRegistryClients.forUrl(registry.url());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable serde : theirs) {
            serde.close();
        }
    }

    private AvroKafkaSerializer<Object> theirSerializer() {
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(apicurioConfig(true), false);
        theirs.add(serializer);
        return serializer;
    }

    private AvroKafkaDeserializer<Object> theirDeserializer(boolean specific) {
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(apicurioConfig(specific), false);
        theirs.add(deserializer);
        return deserializer;
    }

    private static Map<String, Object> apicurioConfig(boolean specific) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", ApicurioRegistry.nativeApiUrl(registry));
        config.put("apicurio.registry.auto-register", "true");
        config.put("apicurio.registry.headers.enabled", "false");
        config.put("apicurio.registry.as-confluent", "true");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.use-specific-avro-reader", String.valueOf(specific));
        return config;
    }

    private static <T> ConfluentAvroDeserializer<T> ourDeserializer() {
        ConfluentAvroDeserializer<T> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return deserializer;
    }

    private static <T> ConfluentAvroSerializer<T> ourSerializer() {
        ConfluentAvroSerializer<T> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        return serializer;
    }

    @Test
    void bytesWrittenByApicurioSerdeAreReadByOurs() {
        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("from-apicurio");
        RecordHeaders headers = new RecordHeaders();

        byte[] bytes = theirSerializer().serialize(topic, headers, command);

        assertThat(headers.toArray()).as("prefix mode, no id headers").isEmpty();
        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(client.getById(id)).isEqualTo(EvaluationUpdateCommand.SCHEMA$);
        EvaluationUpdateCommand back = ApicurioSerdeCrossCheckIT.<EvaluationUpdateCommand>ourDeserializer()
                .deserialize(topic, headers, bytes);
        assertThat(back).isEqualTo(command);
    }

    @Test
    void bytesWrittenByOurSerdeAreReadByApicurios() {
        CommandResult result = Fixtures.commandResult();

        byte[] bytes = ourSerializer().serialize(topic, result);

        Object back = theirDeserializer(true).deserialize(topic, new RecordHeaders(), bytes);
        assertThat(back).isEqualTo(result);
    }

    @Test
    void bothWriteTheSameBytesForTheSameRecord() {
        CommandResult result = Fixtures.commandResult();

        byte[] written = theirSerializer().serialize(topic, new RecordHeaders(), result);
        byte[] ours = ourSerializer().serialize(topic, result);

        assertThat(ours).isEqualTo(written);
    }

    @Test
    void apicuriosGenericReaderAgreesWithOurBytes() {
        byte[] bytes = ourSerializer().serialize(topic, Fixtures.commandResult());

        GenericRecord back = (GenericRecord) theirDeserializer(false).deserialize(topic, new RecordHeaders(), bytes);
        assertThat(back.get("commandId")).hasToString("c1");
        assertThat(back.get("completedAt")).isIn(1_000L, java.time.Instant.ofEpochMilli(1_000));
    }
}
