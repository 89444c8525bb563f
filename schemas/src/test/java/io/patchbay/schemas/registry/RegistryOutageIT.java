package io.patchbay.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.schemas.testing.ApicurioRegistry;
import io.patchbay.schemas.testing.Fixtures;
import io.patchbay.schemas.registry.internal.ConnectionSettings;
import io.patchbay.schemas.registry.internal.HttpSchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registry of its own, taken down and brought back. Its storage is in memory, so it comes back empty and
 * hands out ids from 1 again: what was cached before the outage would lie about the new registry (a real one
 * keeps its ids), so the checks after the restart use a client without caches.
 */
class RegistryOutageIT {

    private static SchemaRegistryProcess registry;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start("outage");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aDownRegistryFailsAfterBoundedRetriesAndWorksAgainOnceItIsBack() {
        Map<String, Object> configs = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.SPECIFIC_AVRO_READER, true,
                SerdeConfig.MAX_RETRIES, 2, SerdeConfig.RETRIES_WAIT_MS, 50, SerdeConfig.RETRIES_MAX_WAIT_MS, 100);
        SchemaRegistryClient client = SchemaRegistryClients.create(SerdeConfig.from(configs, false));
        ConfluentAvroSerializer<CommandResult> serializer = new ConfluentAvroSerializer<>();
        ConfluentAvroDeserializer<CommandResult> deserializer = new ConfluentAvroDeserializer<>();
        serializer.configure(configs, false);
        deserializer.configure(configs, false);
        byte[] before = serializer.serialize("results", Fixtures.commandResult());
        Schema unseen = SchemaBuilder.record("Unseen").namespace("it").fields().requiredInt("n").endRecord();

        registry.stopProcess();
        try {
            RegistryUnavailableException down = catchThrowableOfType(RegistryUnavailableException.class,
                    () -> client.register("unseen-value", unseen));
            assertThat(down.attempts()).isEqualTo(3);
            assertThat(down.getMessage())
                    .contains("schema registry " + registry.url() + " unavailable after 3 attempts")
                    .contains("POST " + registry.url() + "/subjects/unseen-value/versions failed");

            SerializationException failedWrite = catchThrowableOfType(SerializationException.class,
                    () -> serializer.serialize("other-topic", Fixtures.commandResult()));
            assertThat(failedWrite).hasCauseInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("subject 'other-topic-value'");

            // what is already known needs no registry: ids and schemas are cached
            assertThat(serializer.serialize("results", Fixtures.commandResult())).isEqualTo(before);
            assertThat(deserializer.deserialize("results", before)).isEqualTo(Fixtures.commandResult());
        } finally {
            registry.startProcess();
        }

        int id = client.register("unseen-value", unseen);
        SchemaRegistryClient uncached = new HttpSchemaRegistryClient(ConnectionSettings.of(registry.url()));
        assertThat(uncached.getById(id)).isEqualTo(unseen);
        byte[] after = serializer.serialize("other-topic", Fixtures.commandResult());
        assertThat(uncached.latest("other-topic-value").id()).isEqualTo(ByteBuffer.wrap(after, 1, 4).getInt());
        assertThat(new ConfluentAvroDeserializer<CommandResult>(uncached,
                SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_READER, true), false))
                .deserialize("other-topic", after)).isEqualTo(Fixtures.commandResult());
    }
}
