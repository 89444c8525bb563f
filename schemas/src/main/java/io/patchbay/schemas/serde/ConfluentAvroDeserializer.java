package io.patchbay.schemas.serde;

import io.patchbay.schemas.internal.AvroCompatibility;
import io.patchbay.schemas.internal.BoundedCache;
import io.patchbay.schemas.internal.Hex;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.registry.SchemaRegistryException;
import io.patchbay.schemas.serde.internal.AvroModels;
import io.patchbay.schemas.serde.internal.WireFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format ({@code 0x00}, a 4-byte big-endian schema id, the Avro binary datum) into
 * {@link org.apache.avro.generic.GenericRecord}s, or into generated {@link SpecificRecord} classes with
 * {@value SerdeConfig#SPECIFIC_AVRO_READER}{@code =true} (or a fixed class with
 * {@value SerdeConfig#SPECIFIC_AVRO_VALUE_TYPE}). The writer schema comes from the registry by id (cached for
 * the life of the process); the reader schema is the generated class's, and Avro schema resolution bridges
 * the two. A {@code null} payload (tombstone) reads as {@code null}.
 *
 * <p>Every failure is a Kafka {@link SerializationException}, so that spring-kafka's
 * {@code ErrorHandlingDeserializer} and dead-letter publishing handle it: {@link WireFormatException} for
 * framing problems (wrong magic byte, including Confluent 8's GUID byte 0x01; fewer than 5 bytes; a schema id
 * in {@code __key_schema_id}/{@code __value_schema_id} headers), otherwise a plain one whose cause is the
 * {@link SchemaRegistryException} when the registry was involved. Messages show at most
 * {@value Hex#PREFIX_BYTES} payload bytes, in hex. Thread-safe.
 *
 * @param <T> the record type
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private static final int CACHE_CAPACITY = 1_000;

    private final SchemaRegistryClient injectedClient;
    private volatile Runtime runtime;

    /** For Kafka, which instantiates deserializers from configuration and then calls {@link #configure}. */
    public ConfluentAvroDeserializer() {
        this.injectedClient = null;
    }

    /**
     * A ready deserializer. A later {@link #configure} call re-reads the configuration but keeps
     * {@code client}.
     */
    public ConfluentAvroDeserializer(SchemaRegistryClient client, SerdeConfig config) {
        this.injectedClient = Objects.requireNonNull(client, "client");
        this.runtime = new Runtime(client, Objects.requireNonNull(config, "config"));
    }

    /**
     * A value deserializer for the registry at {@code registryUrl} that returns the generated classes
     * ({@value SerdeConfig#SPECIFIC_AVRO_READER}), otherwise with the defaults, as patchbay uses it.
     */
    public static <T> ConfluentAvroDeserializer<T> specificForRegistry(String registryUrl) {
        ConfluentAvroDeserializer<T> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.SPECIFIC_AVRO_READER, true),
                false);
        return deserializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs, isKey);
        runtime = new Runtime(injectedClient != null ? injectedClient : SchemaRegistryClients.create(config), config);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        Runtime current = runtime;
        if (current == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer is not configured; call configure() first");
        }
        return (T) current.deserialize(topic, headers, data);
    }

    /**
     * Reads {@code data} (Confluent wire format) with {@code writer} as its writer schema, whatever schema id its
     * header names: for bytes whose writer schema is known without the registry (stored beside them), when the
     * registry has lost the id or gives it to another schema. The id in the header is not looked up.
     */
    @SuppressWarnings("unchecked")
    public T deserializeWithWriter(String topic, byte[] data, Schema writer) {
        Runtime current = runtime;
        if (current == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer is not configured; call configure() first");
        }
        String context = (current.config.isKey() ? "key" : "value") + " of topic '" + topic + "'";
        return (T) current.read(context, WireFormat.readSchemaId(data, context), Objects.requireNonNull(writer, "writer"), data);
    }

    @Override
    public void close() {
        // the registry client is shared within the JVM; nothing of ours to release
    }

    private record SchemaPair(Schema writer, Schema reader) {
    }

    /** The reader schema and model for one writer schema, or why there is none. */
    private record ReaderChoice(Schema reader, GenericData model, String failure) {

        static ReaderChoice failed(String failure) {
            return new ReaderChoice(null, null, failure);
        }
    }

    private static final class Runtime {

        private final SchemaRegistryClient client;
        private final SerdeConfig config;
        private final SpecificData classLookup;
        private final BoundedCache<Integer, Schema> writerSchemas = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<Schema, ReaderChoice> choices = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<SchemaPair, DatumReader<Object>> readers = new BoundedCache<>(CACHE_CAPACITY);

        Runtime(SchemaRegistryClient client, SerdeConfig config) {
            this.client = client;
            this.config = config;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            this.classLookup = new SpecificData(loader != null ? loader : ConfluentAvroDeserializer.class.getClassLoader());
        }

        Object deserialize(String topic, Headers headers, byte[] data) {
            String context = (config.isKey() ? "key" : "value") + " of topic '" + topic + "'";
            WireFormat.rejectSchemaIdHeaders(headers, config.isKey(), context, data);
            int id = WireFormat.readSchemaId(data, context);
            Schema writer;
            try {
                writer = writerSchemas.getOrLoad(id, client::getById);
            } catch (SchemaNotFoundException e) {
                throw new SerializationException("Cannot deserialize " + context + ": unknown schema id " + id
                        + " (" + e.getMessage() + ")", e);
            } catch (SchemaRegistryException e) {
                throw new SerializationException("Cannot deserialize " + context + ": could not fetch writer schema id "
                        + id + " (" + e.getMessage() + ")", e);
            }
            return read(context, id, writer, data);
        }

        Object read(String context, int id, Schema writer, byte[] data) {
            ReaderChoice choice = choices.getOrLoad(writer, this::chooseReader);
            if (choice.failure() != null) {
                throw new SerializationException("Cannot deserialize " + context + " written with schema id " + id
                        + " (" + writer.getFullName() + "): " + choice.failure());
            }
            DatumReader<Object> reader = readers.getOrLoad(new SchemaPair(writer, choice.reader()),
                    pair -> newReader(pair, choice.model()));
            try {
                Object datum = reader.read(null, DecoderFactory.get()
                        .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
                // a "string" (a Confluent-framed key, typically) comes back as a String, as Confluent's deserializer gives it
                return writer.getType() == Schema.Type.STRING && datum instanceof CharSequence text ? text.toString() : datum;
            } catch (StackOverflowError e) {
                // Avro reads nested values by recursion: a value nested thousands of levels deep (a recursive schema such
                // as JsonValue allows it) is a record nobody can read, not a failure of this thread.
                throw new SerializationException("Cannot deserialize " + context + ": its value is nested too deeply to"
                        + " decode (writer schema id " + id + ", " + writer.getFullName() + "); payload " + data.length + " bytes");
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot deserialize " + context + ": its "
                        + (data.length - WireFormat.HEADER_SIZE) + " bytes of Avro do not decode with writer schema id "
                        + id + " (" + writer.getFullName() + ")"
                        + (choice.reader() == writer ? "" : " read as " + choice.reader().getFullName()) + ": " + e
                        + "; payload " + data.length + " bytes: " + Hex.prefix(data), e);
            }
        }

        @SuppressWarnings("unchecked")
        private static DatumReader<Object> newReader(SchemaPair pair, GenericData model) {
            return model instanceof SpecificData specific
                    ? (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(pair.writer(), pair.reader(), specific)
                    : new GenericDatumReader<>(pair.writer(), pair.reader(), model);
        }

        private ReaderChoice chooseReader(Schema writer) {
            if (config.specificAvroType().isPresent()) {
                return specific(writer, config.specificAvroType().get());
            }
            if (!config.specificAvroReader()) {
                return new ReaderChoice(writer, GenericData.get(), null);
            }
            Schema.Type type = writer.getType();
            if (type != Schema.Type.RECORD && type != Schema.Type.ENUM && type != Schema.Type.FIXED) {
                return new ReaderChoice(writer, classLookup, null);
            }
            Class<?> generated = classLookup.getClass(writer);
            if (generated == null) {
                return ReaderChoice.failed("no generated class " + SpecificData.getClassName(writer)
                        + " on the classpath to read it into (" + SerdeConfig.SPECIFIC_AVRO_READER
                        + "=true); set it to false to get GenericRecords");
            }
            return specific(writer, generated);
        }

        private ReaderChoice specific(Schema writer, Class<?> generated) {
            SpecificData model = AvroModels.of(generated);
            Schema reader = model.getSchema(generated);
            if (reader.equals(writer)) {
                return new ReaderChoice(writer, model, null);
            }
            List<String> problems = AvroCompatibility.problems(reader, writer);
            if (!problems.isEmpty()) {
                return ReaderChoice.failed("the generated class " + generated.getName()
                        + " cannot read it: " + String.join("; ", problems));
            }
            return new ReaderChoice(reader, model, null);
        }
    }
}
