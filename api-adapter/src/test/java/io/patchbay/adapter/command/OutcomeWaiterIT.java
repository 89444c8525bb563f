package io.patchbay.adapter.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SerdeConfig;

/**
 * The outcome waiter against a real broker and a schema registry of its own that goes down: a campaign found an
 * adapter whose waiter had stopped for good because the registry did not answer in time once (the machine was
 * overloaded), after which every PATCH answered 202 and the adapter stayed DOWN until restarted.
 */
class OutcomeWaiterIT {

    @TempDir
    static Path registryData;
    private static SchemaRegistryProcess registry;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryProcess.start(0, registryData, registryData.resolve("registry.log"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static CommandResult result(String commandId) {
        return CommandResult.newBuilder().setCommandId(commandId).setRequestId("r-" + commandId)
                .setResourceType(ResourceType.EVALUATION).setResourceId("eval_1").setTeamId("t1")
                .setStatus(CommandStatus.APPLIED).setVersion(2L).setResource(null).setErrors(List.of())
                .setCompletedAt(Instant.ofEpochMilli(1_000)).build();
    }

    @Test
    void keepsReadingResultsThroughASchemaRegistryOutage() throws Exception {
        String bootstrap = SharedInfrastructure.get().kafka().bootstrapServers();
        String topic = "outcome-waiter-" + UUID.randomUUID() + ".command-results";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> serde = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), SerdeConfig.SPECIFIC_AVRO_READER, true,
                SerdeConfig.MAX_RETRIES, 1, SerdeConfig.RETRIES_WAIT_MS, 50, SerdeConfig.RETRIES_MAX_WAIT_MS, 100);
        ConfluentAvroSerializer<CommandResult> serializer = new ConfluentAvroSerializer<>();
        // default retries: another client than the waiter's, whose id cache has not seen the schema
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        CommandResult decided = result("c-during-outage");
        byte[] value = serializer.serialize(topic, decided);
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(serde, false);
        OutcomeWaiter waiter = new OutcomeWaiter(new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false),
                new ByteArrayDeserializer(), deserializer), topic, Duration.ofMinutes(5));
        waiter.start();
        try {
            CompletableFuture<CommandResult> outcome = waiter.register(decided.getCommandId());
            registry.stopProcess();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (waiter.registryOutages() == 0 && waiter.isReading() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
                assertThat(waiter.registryOutages()).as("the waiter met the outage").isPositive();
                assertThat(waiter.isReading()).as("the waiter still reads during the outage").isTrue();
                assertThat(outcome).isNotDone();
            } finally {
                registry.startProcess();
            }

            assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo(decided);
            assertThat(waiter.isReading()).isTrue();
        } finally {
            waiter.stop();
        }
    }
}
