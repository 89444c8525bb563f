package io.patchbay.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.Unset;
import io.patchbay.schemas.registry.IncompatibleSchemaException;
import io.patchbay.schemas.registry.RegistryNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.registry.internal.InMemorySchemaRegistry;
import io.patchbay.schemas.testing.Fixtures;
import io.patchbay.schemas.testing.StubRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private final String url = Fixtures.mockUrl("serde");
    private final SchemaRegistryClient registry = SchemaRegistryClients.forUrl(url);

    private Map<String, Object> configs(Object... keyValues) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(SerdeConfig.SCHEMA_REGISTRY_URL, url);
        for (int i = 0; i < keyValues.length; i += 2) {
            configs.put((String) keyValues[i], keyValues[i + 1]);
        }
        return configs;
    }

    private <T> ConfluentAvroSerializer<T> serializer(boolean isKey, Object... keyValues) {
        ConfluentAvroSerializer<T> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs(keyValues), isKey);
        return serializer;
    }

    private <T> ConfluentAvroDeserializer<T> deserializer(boolean isKey, Object... keyValues) {
        ConfluentAvroDeserializer<T> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(configs(keyValues), isKey);
        return deserializer;
    }

    private static int schemaId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void aGeneratedRecordRoundTripsWithItsThreeStatePatchAndLogicalTypes() {
        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("cmd-1");

        byte[] bytes = this.<EvaluationUpdateCommand>serializer(false).serialize("commands", command);
        EvaluationUpdateCommand back = this.<EvaluationUpdateCommand>deserializer(false,
                SerdeConfig.SPECIFIC_AVRO_READER, true).deserialize("commands", bytes);

        assertThat(back).isEqualTo(command);
        EvaluationPatch patch = back.getPatch();
        assertThat(patch.getName()).isEqualTo("renamed");
        assertThat(patch.getDescription()).isNull();
        assertThat(patch.getBrowserEngine()).isInstanceOf(Unset.class);
        assertThat(patch.getShareExpiry()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(back.getMetadata().getReceivedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
    }

    @Test
    void withoutTheSpecificReaderTheSameBytesReadAsAGenericRecord() {
        byte[] bytes = serializer(false).serialize("results", Fixtures.commandResult());

        Object back = deserializer(false).deserialize("results", bytes);

        assertThat(back).isInstanceOf(GenericData.Record.class).isNotInstanceOf(CommandResult.class);
        GenericRecord record = (GenericRecord) back;
        assertThat(record.getSchema().getFullName()).isEqualTo("io.patchbay.schemas.CommandResult");
        assertThat(record.get("commandId")).isEqualTo("c1");
        assertThat(record.get("completedAt")).isEqualTo(1_000L);
        assertThat(((GenericData.EnumSymbol) record.get("status"))).hasToString("REJECTED");
    }

    @Test
    void aGenericRecordRoundTrips() {
        Schema schema = SchemaBuilder.record("Order").namespace("test").fields()
                .requiredString("id").optionalLong("amount").endRecord();
        GenericRecord order = new GenericData.Record(schema);
        order.put("id", "o-1");
        order.put("amount", 12L);

        byte[] bytes = serializer(false).serialize("orders", order);
        GenericRecord back = this.<GenericRecord>deserializer(false).deserialize("orders", bytes);

        assertThat(back.get("id")).hasToString("o-1");
        assertThat(back.get("amount")).isEqualTo(12L);
        assertThat(back.getSchema()).isEqualTo(schema);
    }

    @Test
    void aNullValueIsATombstoneBothWays() {
        assertThat(serializer(false).serialize("commands", null)).isNull();
        assertThat(deserializer(false).deserialize("commands", null)).isNull();
        assertThat(deserializer(false).deserialize("commands", new org.apache.kafka.common.header.internals.RecordHeaders(),
                (byte[]) null)).isNull();
    }

    @Test
    void kafkaCanInstantiateBothByClassName() throws ClassNotFoundException {
        Serializer<Object> serializer = Utils.newInstance(ConfluentAvroSerializer.class.getName(), Serializer.class);
        Deserializer<Object> deserializer = Utils.newInstance(ConfluentAvroDeserializer.class.getName(), Deserializer.class);
        serializer.configure(configs(), false);
        deserializer.configure(configs(SerdeConfig.SPECIFIC_AVRO_READER, "true"), false);

        Object back = deserializer.deserialize("results", serializer.serialize("results", Fixtures.commandResult()));

        assertThat(back).isEqualTo(Fixtures.commandResult());
    }

    // ------------------------------------------------------------------ subjects and registration

    @Test
    void theDefaultStrategyRegistersUnderTopicValueAndTopicKey() {
        byte[] value = serializer(false).serialize("results", Fixtures.commandResult());
        byte[] key = serializer(true).serialize("results", Actor.newBuilder().setApiKeyId("k").build());

        assertThat(registry.latest("results-value").id()).isEqualTo(schemaId(value));
        assertThat(registry.latest("results-key").id()).isEqualTo(schemaId(key));
    }

    @Test
    void recordAndTopicRecordStrategiesAcceptConfluentClassNamesAndShortNames() {
        serializer(false, SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy").serialize("results", Fixtures.commandResult());
        serializer(false, SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy")
                .serialize("results", Fixtures.commandResult());

        assertThat(registry.latest("io.patchbay.schemas.CommandResult").version()).isEqualTo(1);
        assertThat(registry.latest("results-io.patchbay.schemas.CommandResult").version()).isEqualTo(1);
    }

    @Test
    void reSerializingTheSameSchemaReusesTheRegisteredId() {
        ConfluentAvroSerializer<Object> serializer = serializer(false);

        byte[] first = serializer.serialize("results", Fixtures.commandResult());
        byte[] second = serializer(false).serialize("results", Fixtures.commandResult());

        assertThat(schemaId(second)).isEqualTo(schemaId(first));
        assertThat(registry.latest("results-value").version()).isEqualTo(1);
    }

    @Test
    void steadyStateSerializationAndDeserializationMakeNoRegistryCalls() {
        StubRegistry counting = StubRegistry.counting(new InMemorySchemaRegistry("uncached")); // no client cache
        SerdeConfig writeConfig = SerdeConfig.from(Map.of(), false);
        SerdeConfig readConfig = SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_READER, true), false);
        ConfluentAvroSerializer<EvaluationUpdateCommand> serializer = new ConfluentAvroSerializer<>(counting, writeConfig);
        ConfluentAvroDeserializer<EvaluationUpdateCommand> deserializer = new ConfluentAvroDeserializer<>(counting, readConfig);

        for (int i = 0; i < 100; i++) {
            EvaluationUpdateCommand command = Fixtures.evaluationUpdate("cmd-" + i);
            assertThat(deserializer.deserialize("commands", serializer.serialize("commands", command))).isEqualTo(command);
        }

        assertThat(counting.registerCalls).hasValue(1);
        assertThat(counting.getByIdCalls).hasValue(1);
    }

    @Test
    void aPreparedSchemaIsRegisteredOnceAndItsRecordsAreSerializedWithoutAskingTheRegistry() {
        StubRegistry counting = StubRegistry.counting(new InMemorySchemaRegistry("prepared")); // no client cache
        ConfluentAvroSerializer<EvaluationUpdateCommand> serializer = new ConfluentAvroSerializer<>(counting,
                SerdeConfig.from(Map.of(), false));

        int id = serializer.prepare("commands", EvaluationUpdateCommand.getClassSchema());
        byte[] bytes = serializer.serialize("commands", Fixtures.evaluationUpdate("cmd-prepared"));

        assertThat(schemaId(bytes)).isEqualTo(id);
        assertThat(counting.registerCalls).as("registrations: the prepare alone").hasValue(1);
        assertThat(counting.latest("commands-value").schema()).isEqualTo(EvaluationUpdateCommand.getClassSchema());
    }

    @Test
    void preparingAgainstAFailingRegistryIsASerializationExceptionNamingTheSubject() {
        ConfluentAvroSerializer<Object> serializer = serializer(false, SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");

        assertThatThrownBy(() -> serializer.prepare("unknown", Fixtures.commandResult().getSchema()))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(RegistryNotFoundException.class)
                .hasMessageContaining("subject 'unknown-value'");
    }

    @Test
    void withAutoRegisterOffAnUnregisteredSchemaFailsWithTheSubject() {
        ConfluentAvroSerializer<Object> serializer = serializer(false, SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");

        assertThatThrownBy(() -> serializer.serialize("results", Fixtures.commandResult()))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(RegistryNotFoundException.class)
                .hasMessageContaining("Cannot serialize value for topic 'results' (subject 'results-value', schema"
                        + " io.patchbay.schemas.CommandResult)");
    }

    @Test
    void withAutoRegisterOffARegisteredSchemaIsLookedUp() {
        int id = registry.register("results-value", CommandResult.SCHEMA$);
        registry.register("results-value", SchemaBuilder.record("io.patchbay.schemas.CommandResult").fields()
                .requiredString("commandId").endRecord()); // the latest version is another one

        byte[] bytes = serializer(false, SerdeConfig.AUTO_REGISTER_SCHEMAS, false)
                .serialize("results", Fixtures.commandResult());

        assertThat(schemaId(bytes)).isEqualTo(id);
    }

    @Test
    void anIncompatibleSchemaIsRefusedNamingSubjectAndField() {
        Schema v1 = SchemaBuilder.record("Order").namespace("test").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Order").namespace("test").fields()
                .requiredString("id").requiredString("customer").endRecord();
        registry.register("orders-value", v1);
        GenericRecord order = new GenericData.Record(v2);
        order.put("id", "o-1");
        order.put("customer", "c-1");

        assertThatThrownBy(() -> serializer(false).serialize("orders", order))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("subject 'orders-value'")
                .hasMessageContaining("field 'customer'");
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaAndItsId() {
        Schema v1 = SchemaBuilder.record("Order").namespace("test").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Order").namespace("test").fields()
                .requiredString("id").name("currency").type().stringType().stringDefault("EUR").endRecord();
        registry.register("orders-value", v1);
        int latestId = registry.register("orders-value", v2);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "o-1");

        byte[] bytes = serializer(false, SerdeConfig.USE_LATEST_VERSION, true, SerdeConfig.AUTO_REGISTER_SCHEMAS, false)
                .serialize("orders", old);
        GenericRecord back = this.<GenericRecord>deserializer(false).deserialize("orders", bytes);

        assertThat(schemaId(bytes)).isEqualTo(latestId);
        assertThat(back.getSchema()).isEqualTo(v2);
        assertThat(back.get("id")).hasToString("o-1");
        assertThat(back.get("currency")).hasToString("EUR");
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotReadTheRecord() {
        Schema v1 = SchemaBuilder.record("Order").namespace("test").fields().requiredString("id").endRecord();
        Schema latest = SchemaBuilder.record("Order").namespace("test").fields()
                .requiredString("id").requiredString("customer").endRecord();
        registry.setCompatibility("orders-value", "NONE");
        registry.register("orders-value", latest);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "o-1");

        assertThatThrownBy(() -> serializer(false, SerdeConfig.USE_LATEST_VERSION, true).serialize("orders", old))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("latest version 1")
                .hasMessageContaining("field 'customer'");
    }

    @Test
    void theLatestVersionIsCachedForTheConfiguredTime() {
        StubRegistry counting = StubRegistry.counting(new InMemorySchemaRegistry("latest"));
        Schema schema = SchemaBuilder.record("Order").namespace("test").fields().requiredString("id").endRecord();
        counting.register("orders-value", schema);
        GenericRecord order = new GenericData.Record(schema);
        order.put("id", "o-1");
        ConfluentAvroSerializer<GenericRecord> forever = new ConfluentAvroSerializer<>(counting,
                SerdeConfig.from(Map.of(SerdeConfig.USE_LATEST_VERSION, true), false));
        ConfluentAvroSerializer<GenericRecord> never = new ConfluentAvroSerializer<>(counting,
                SerdeConfig.from(Map.of(SerdeConfig.USE_LATEST_VERSION, true, SerdeConfig.LATEST_CACHE_TTL_SEC, 0), false));

        for (int i = 0; i < 3; i++) {
            forever.serialize("orders", order);
        }
        assertThat(counting.latestCalls).hasValue(1);
        for (int i = 0; i < 3; i++) {
            never.serialize("orders", order);
        }
        assertThat(counting.latestCalls).hasValue(4);
    }

    // ------------------------------------------------------------------ schema resolution on read

    @Test
    void anOlderWriterSchemaIsResolvedToTheGeneratedClassWithDefaults() {
        Schema olderError = new Schema.Parser().parse("""
                {"type":"record","name":"CommandError","namespace":"io.patchbay.schemas","fields":[
                  {"name":"kind","type":{"type":"enum","name":"ErrorKind","symbols":["INVALID","FORBIDDEN","NOT_FOUND"]}},
                  {"name":"message","type":"string"},
                  {"name":"retired","type":"int"}]}""");
        GenericRecord written = new GenericData.Record(olderError);
        written.put("kind", new GenericData.EnumSymbol(olderError.getField("kind").schema(), "FORBIDDEN"));
        written.put("message", "no");
        written.put("retired", 5);

        byte[] bytes = serializer(false).serialize("errors", written);
        CommandError back = this.<CommandError>deserializer(false, SerdeConfig.SPECIFIC_AVRO_READER, "true")
                .deserialize("errors", bytes);

        assertThat(back).isEqualTo(CommandError.newBuilder().setKind(ErrorKind.FORBIDDEN).setMessage("no")
                .setCode(null).setField(null).build());
    }

    @Test
    void aWriterSchemaTheGeneratedClassCannotReadFailsNamingTheField() {
        Schema intKey = SchemaBuilder.record("Actor").namespace("io.patchbay.schemas").fields()
                .requiredInt("apiKeyId").endRecord();
        GenericRecord written = new GenericData.Record(intKey);
        written.put("apiKeyId", 7);
        byte[] bytes = serializer(false).serialize("actors", written);

        assertThatThrownBy(() -> deserializer(false, SerdeConfig.SPECIFIC_AVRO_READER, true).deserialize("actors", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot deserialize value of topic 'actors' written with schema id " + schemaId(bytes))
                .hasMessageContaining("the generated class io.patchbay.schemas.Actor cannot read it")
                .hasMessageContaining("record io.patchbay.schemas.Actor, field 'apiKeyId'")
                .hasMessageContaining("TYPE_MISMATCH");
    }

    @Test
    void theSpecificReaderFailsClearlyWhenNoGeneratedClassExists() {
        Schema schema = SchemaBuilder.record("Unknown").namespace("com.example").fields().requiredInt("n").endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("n", 1);
        byte[] bytes = serializer(false).serialize("unknown", record);

        assertThatThrownBy(() -> deserializer(false, SerdeConfig.SPECIFIC_AVRO_READER, true).deserialize("unknown", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("no generated class com.example.Unknown on the classpath");
    }

    @Test
    void aFixedReaderTypeReadsWhateverTheWriterWrote() {
        Schema widerActor = SchemaBuilder.record("Actor").namespace("io.patchbay.schemas").fields()
                .requiredString("apiKeyId").optionalString("displayName").endRecord();
        GenericRecord written = new GenericData.Record(widerActor);
        written.put("apiKeyId", "key-9");
        written.put("displayName", "Ada");
        byte[] bytes = serializer(false).serialize("actors", written);

        Actor back = this.<Actor>deserializer(false, SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Actor.class.getName())
                .deserialize("actors", bytes);

        assertThat(back).isEqualTo(Actor.newBuilder().setApiKeyId("key-9").build());
    }

    @Test
    void aStringKeyIsWrittenAsConfluentsSerializerWritesItAndReadBackAsAString() {
        byte[] bytes = this.<String>serializer(true).serialize("changes", "eval_1");

        int id = schemaId(bytes);
        assertThat(bytes[0]).isZero();
        assertThat(registry.latest("changes-key").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(registry.latest("changes-key").id()).isEqualTo(id);
        // Avro binary string: zigzag varint length (6 -> 12), then UTF-8
        assertThat(java.util.Arrays.copyOfRange(bytes, 5, bytes.length))
                .isEqualTo(new byte[] {12, 'e', 'v', 'a', 'l', '_', '1'});
        Object back = this.<Object>deserializer(true, SerdeConfig.SPECIFIC_AVRO_READER, true).deserialize("changes", bytes);
        assertThat(back).isEqualTo("eval_1").isInstanceOf(String.class);
        assertThat(this.<Object>deserializer(true).deserialize("changes", bytes)).isEqualTo("eval_1");
    }

    // ------------------------------------------------------------------ serializer failures

    @Test
    void somethingThatIsNeitherAnAvroRecordNorAStringIsRefused() {
        assertThatThrownBy(() -> serializer(false).serialize("t", 42))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Integer is not an Avro record (expected a SpecificRecord or GenericRecord)"
                        + " or a string");
    }

    @Test
    void aValueOutsideItsUnionIsNamedByTypeWithoutPrintingIt() {
        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("cmd-1");
        UUID secret = UUID.randomUUID();
        command.getPatch().setName(secret);

        assertThatThrownBy(() -> serializer(false).serialize("commands", command))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.util.UUID")
                .hasMessageNotContaining(secret.toString())
                .hasNoCause();

        command.getPatch().setName(424242);
        assertThatThrownBy(() -> serializer(false).serialize("commands", command))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a java.lang.Integer is not in union")
                .hasMessageNotContaining("424242")
                .hasNoCause();
    }

    @Test
    void aMissingRequiredValueNamesTheField() {
        CommandResult result = Fixtures.commandResult();
        result.setTeamId(null);

        assertThatThrownBy(() -> serializer(false).serialize("results", result))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("teamId");
    }

    @Test
    void recordNameStrategyNeedsARecord() {
        Schema enumSchema = SchemaBuilder.enumeration("Color").namespace("test").symbols("RED");
        GenericData.EnumSymbol red = new GenericData.EnumSymbol(enumSchema, "RED");

        assertThatThrownBy(() -> serializer(false, SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy")
                .serialize("colors", red))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RecordNameStrategy needs a record schema, not enum");
    }

    @Test
    void usingAnUnconfiguredSerdeIsAnError() {
        assertThatThrownBy(() -> new ConfluentAvroSerializer<>().serialize("t", Fixtures.commandResult()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
        assertThatThrownBy(() -> new ConfluentAvroDeserializer<>().deserialize("t", new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
    }

    @Test
    void configureKeepsAnInjectedClient() {
        StubRegistry stub = StubRegistry.withFixedId(77);
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(stub, SerdeConfig.from(Map.of(), false));

        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1"), false);

        assertThat(schemaId(serializer.serialize("results", Fixtures.commandResult()))).isEqualTo(77);
    }

    // ------------------------------------------------------------------ threads

    @Test
    void oneSerializerAndDeserializerPairServesManyThreads() throws Exception {
        ConfluentAvroSerializer<EvaluationUpdateCommand> serializer = serializer(false);
        ConfluentAvroDeserializer<EvaluationUpdateCommand> deserializer = deserializer(false,
                SerdeConfig.SPECIFIC_AVRO_READER, true);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Integer> work = () -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("cmd-" + thread + "-" + i);
                        EvaluationUpdateCommand back = deserializer.deserialize("commands",
                                serializer.serialize("commands", command));
                        ok += back.equals(command) ? 1 : 0;
                    }
                    return ok;
                };
                results.add(pool.submit(work));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.latest("commands-value").version()).isEqualTo(1);
    }
}
