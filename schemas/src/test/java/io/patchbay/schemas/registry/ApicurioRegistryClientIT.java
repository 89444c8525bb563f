package io.patchbay.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.schemas.testing.ApicurioRegistry;
import io.patchbay.schemas.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our client and serde against the real Apicurio 2.4.2 ccompat API, with its deviations from Confluent. */
class ApicurioRegistryClientIT {

    private static SchemaRegistryProcess registry;
    private static SchemaRegistryClient client;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.shared();
        client = SchemaRegistryClients.forUrl(registry.url());
    }

    private static Schema order(String... extraRequiredFields) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Order").namespace("it").fields()
                .requiredString("id");
        for (String field : extraRequiredFields) {
            fields = fields.requiredString(field);
        }
        return fields.endRecord();
    }

    private static Schema orderWithOptional(String field) {
        return SchemaBuilder.record("Order").namespace("it").fields().requiredString("id").optionalString(field).endRecord();
    }

    /** A client of its own, so that the shared client's caches do not answer for the registry. */
    private static SchemaRegistryClient uncachedClient() {
        return uncachedClient(registry);
    }

    private static SchemaRegistryClient uncachedClient(SchemaRegistryProcess of) {
        return new io.patchbay.schemas.registry.internal.HttpSchemaRegistryClient(
                io.patchbay.schemas.registry.internal.ConnectionSettings.of(of.url()));
    }

    @Test
    void reRegisteringTheSameSchemaReturnsTheSameId() {
        SchemaRegistryClient fresh = uncachedClient();
        String subject = "orders-" + suffix + "-value";

        int id = fresh.register(subject, order());

        assertThat(fresh.register(subject, order())).isEqualTo(id);
        assertThat(fresh.latest(subject)).isEqualTo(new RegisteredSchema(subject, id, 1, order()));
        assertThat(fresh.getById(id)).isEqualTo(order());
    }

    /**
     * Writers in separate processes (a client each, no shared cache or lock) registering one brand-new schema at the
     * same moment: Apicurio answers all but one of them 409 "already exists" or 500 (its unique index), and each
     * client answers that with the id of the schema that is now there. Three rounds, a new subject each, on a registry
     * of the test's own: Apicurio's H2 storage can jam under this race (a row lock of its id sequence held until H2's
     * lock timeout, then 500s for every registration for a while), which must not fail the other tests here; four
     * writers are enough for the race (without the lookup it fails on a 409 within the three rounds) and jam it less
     * than eight.
     */
    @Test
    void clientsRegisteringTheSameNewSchemaAtOnceAllGetItsId() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (SchemaRegistryProcess own = ApicurioRegistry.start("race")) {
            for (int round = 1; round <= 3; round++) {
                String subject = "race-" + round + "-" + suffix + "-value";
                Schema schema = order("race" + round + suffix.replace('-', '_'));
                CyclicBarrier together = new CyclicBarrier(writers);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    SchemaRegistryClient writer = uncachedClient(own);
                    answers.add(pool.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return writer.register(subject, schema);
                    }));
                }
                Set<Integer> ids = new HashSet<>();
                for (Future<Integer> answer : answers) {
                    ids.add(answer.get(60, TimeUnit.SECONDS));
                }

                assertThat(ids).as("ids the writers got for " + subject).hasSize(1);
                assertThat(uncachedClient(own).lookup(subject, schema)).isEqualTo(ids.iterator().next());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameSchemaUnderAnotherSubjectGetsTheSameId() {
        Schema schema = order("shared" + suffix.replace('-', '_'));
        int first = client.register("a-" + suffix, schema);

        assertThat(uncachedClient().register("b-" + suffix, schema)).isEqualTo(first);
    }

    @Test
    void lookupFindsARegisteredSchemaAndReportsAnUnregisteredOneAsNotFound() {
        String subject = "lookup-" + suffix;
        int id = client.register(subject, order());

        assertThat(uncachedClient().lookup(subject, order())).isEqualTo(id);
        // Apicurio answers 40401 here, where Confluent answers 40403; both are "not found"
        assertThatThrownBy(() -> uncachedClient().lookup(subject, orderWithOptional("note")))
                .isInstanceOf(RegistryNotFoundException.class)
                .hasMessageContaining("answered 404");
        assertThatThrownBy(() -> uncachedClient().lookup("no-such-subject-" + suffix, order()))
                .isInstanceOf(RegistryNotFoundException.class);
    }

    @Test
    void unknownIdsAndSubjectsAreNotFound() {
        assertThatThrownBy(() -> client.getById(987_654))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("fetching schema id 987654")
                .hasMessageContaining(registry.url() + "/schemas/ids/987654 answered 404");
        // Apicurio answers 40402 for an unknown subject's latest version
        assertThatThrownBy(() -> client.latest("no-such-subject-" + suffix))
                .isInstanceOf(SubjectNotFoundException.class);
    }

    @Test
    void anIncompatibleChangeIsRefusedAndACompatibleOneAccepted() {
        String subject = "evolving-" + suffix + "-value";
        client.register(subject, order());

        assertThat(client.isCompatible(subject, order("customer"))).isFalse();
        assertThat(client.isCompatible(subject, orderWithOptional("note"))).isTrue();
        assertThatThrownBy(() -> client.register(subject, order("customer")))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(409))
                .hasMessageContaining("under subject '" + subject + "'")
                .hasMessageContaining("answered 409");
        int v2 = client.register(subject, orderWithOptional("note"));
        assertThat(client.latest(subject).id()).isEqualTo(v2);
        assertThat(client.latest(subject).version()).isEqualTo(2);
    }

    @Test
    void aSubjectWithoutVersionsAcceptsAnySchema() {
        assertThat(client.isCompatible("empty-" + suffix, order())).isTrue();
    }

    @Test
    void subjectCompatibilityCanBeSetAndRead() {
        String subject = "config-" + suffix;
        client.register(subject, order());

        client.setCompatibility(subject, "FULL");

        assertThat(client.getCompatibility(subject)).isEqualTo("FULL");
        // Apicurio deviation: the global level comes from -Dregistry.rules.global.compatibility=BACKWARD, which is
        // enforced but not reported (GET /config answers NONE), and a subject level does not relax it
        assertThat(client.getCompatibility(null)).isIn(SchemaRegistryClient.COMPATIBILITY_LEVELS);
        assertThat(client.isCompatible(subject, orderWithOptional("note"))).isTrue();
    }

    @Test
    void aGeneratedRecordRoundTripsThroughTheRealRegistry() {
        Map<String, Object> configs = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.SPECIFIC_AVRO_READER, true);
        ConfluentAvroSerializer<EvaluationUpdateCommand> serializer = new ConfluentAvroSerializer<>();
        ConfluentAvroDeserializer<EvaluationUpdateCommand> deserializer = new ConfluentAvroDeserializer<>();
        serializer.configure(configs, false);
        deserializer.configure(configs, false);
        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("cmd-" + suffix);
        String topic = "commands-" + suffix;

        byte[] bytes = serializer.serialize(topic, command);

        assertThat(bytes[0]).isZero();
        assertThat(uncachedClient().latest(topic + "-value").schema()).isEqualTo(EvaluationUpdateCommand.SCHEMA$);
        assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(command);
    }

    @Test
    void theSerializerReportsARefusedSchemaAsASerializationException() {
        String topic = "orders-" + suffix;
        client.register(topic + "-value", order());
        GenericRecord breaking = new GenericData.Record(order("customer"));
        breaking.put("id", "o-1");
        breaking.put("customer", "c-1");
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);

        assertThatThrownBy(() -> serializer.serialize(topic, breaking))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("subject '" + topic + "-value'");
    }

    @Test
    void withAutoRegisterOffTheSerializerUsesTheRegisteredId() {
        String topic = "results-" + suffix;
        int id = client.register(topic + "-value", CommandResult.SCHEMA$);
        ConfluentAvroSerializer<CommandResult> serializer = new ConfluentAvroSerializer<>(uncachedClient(),
                SerdeConfig.from(Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS, false), false));

        byte[] bytes = serializer.serialize(topic, Fixtures.commandResult());

        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }
}
