package io.patchbay.schemas.serde;

import io.patchbay.schemas.internal.AvroCompatibility;
import io.patchbay.schemas.internal.BoundedCache;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.registry.SchemaRegistryException;
import io.patchbay.schemas.serde.internal.AvroModels;
import io.patchbay.schemas.serde.internal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro {@link SpecificRecord}s and {@link org.apache.avro.generic.GenericRecord}s (any
 * {@link GenericContainer}) in the Confluent wire format: {@code 0x00}, the 4-byte big-endian schema id, the
 * Avro binary datum. A {@code null} value (tombstone) is written as {@code null}.
 *
 * <p>The subject comes from the configured {@link SubjectNameStrategy}. With
 * {@value SerdeConfig#AUTO_REGISTER_SCHEMAS} (the default) the record's schema is registered; otherwise it is
 * looked up and must be registered already; with {@value SerdeConfig#USE_LATEST_VERSION} the subject's latest
 * version is used, provided it can read the record's schema. Ids and datum writers are cached, so steady-state
 * serialization makes no registry call. Thread-safe.
 *
 * <p>Every failure is a Kafka {@link SerializationException} naming the topic, subject and schema; registry
 * failures keep the {@link SchemaRegistryException} as cause.
 *
 * @param <T> the record type
 */
public final class ConfluentAvroSerializer<T> implements Serializer<T> {

    private static final int CACHE_CAPACITY = 1_000;
    private static final String UNKNOWN_DATUM = "Unknown datum type ";

    private final SchemaRegistryClient injectedClient;
    private volatile Runtime runtime;

    /** For Kafka, which instantiates serializers from configuration and then calls {@link #configure}. */
    public ConfluentAvroSerializer() {
        this.injectedClient = null;
    }

    /**
     * A ready serializer. A later {@link #configure} call (Spring's producer factory makes one) re-reads the
     * configuration but keeps {@code client}.
     */
    public ConfluentAvroSerializer(SchemaRegistryClient client, SerdeConfig config) {
        this.injectedClient = Objects.requireNonNull(client, "client");
        this.runtime = new Runtime(client, Objects.requireNonNull(config, "config"));
    }

    /** A value serializer for the registry at {@code registryUrl}, otherwise with the defaults, as patchbay uses it. */
    public static <T> ConfluentAvroSerializer<T> forRegistry(String registryUrl) {
        ConfluentAvroSerializer<T> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        return serializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs, isKey);
        runtime = new Runtime(injectedClient != null ? injectedClient : SchemaRegistryClients.create(config), config);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Runtime current = runtime;
        if (current == null) {
            throw new IllegalStateException("ConfluentAvroSerializer is not configured; call configure() first");
        }
        return current.serialize(topic, data);
    }

    /**
     * Registers {@code schema} for {@code topic} (or, with {@value SerdeConfig#AUTO_REGISTER_SCHEMAS} off, looks it
     * up; with {@value SerdeConfig#USE_LATEST_VERSION}, checks it against the latest version) as the first
     * {@link #serialize} of a record with that schema would, and caches the id, so that serializing such records
     * later asks the registry nothing. Apps call it at start for the schemas they write ({@link SchemaWarmUp}).
     *
     * @return the schema id records of {@code schema} on {@code topic} are framed with
     * @throws SerializationException when the registry fails or refuses, as {@link #serialize} would
     */
    public int prepare(String topic, Schema schema) {
        Runtime current = runtime;
        if (current == null) {
            throw new IllegalStateException("ConfluentAvroSerializer is not configured; call configure() first");
        }
        return current.prepare(topic, Objects.requireNonNull(schema, "schema"));
    }

    @Override
    public void close() {
        // the registry client is shared within the JVM; nothing of ours to release
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record SchemaPair(Schema reader, Schema writer) {
    }

    /** The schema of a string written as Confluent's serializer writes one (a key, typically): Avro {@code "string"}. */
    private static final Schema STRING = Schema.create(Schema.Type.STRING);

    private record WriterKey(Schema schema, GenericData model) {
    }

    private record CachedLatest(RegisteredSchema version, long loadedAtNanos) {
    }

    /** The id to frame with and, when writing as another (latest) schema, that schema. */
    private record Target(int id, Schema writeAs) {
    }

    private static final class Runtime {

        private final SchemaRegistryClient client;
        private final SerdeConfig config;
        private final BoundedCache<SubjectSchema, Integer> ids = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<WriterKey, DatumWriter<Object>> writers = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<SchemaPair, DatumReader<Object>> projections = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<SchemaPair, List<String>> latestProblems = new BoundedCache<>(CACHE_CAPACITY);
        private final BoundedCache<String, CachedLatest> latest = new BoundedCache<>(CACHE_CAPACITY);

        Runtime(SchemaRegistryClient client, SerdeConfig config) {
            this.client = client;
            this.config = config;
        }

        byte[] serialize(String topic, Object data) {
            String side = config.isKey() ? "key" : "value";
            Schema schema;
            if (data instanceof GenericContainer container) {
                schema = container.getSchema();
            } else if (data instanceof CharSequence) {
                schema = STRING;
            } else {
                throw new SerializationException("Cannot serialize " + side + " for topic '" + topic + "': "
                        + data.getClass().getName() + " is not an Avro record (expected a SpecificRecord or"
                        + " GenericRecord) or a string");
            }
            String subject = subject(topic, schema);
            Target target = target(topic, subject, schema);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                byte[] header = new byte[WireFormat.HEADER_SIZE];
                WireFormat.writeHeader(header, target.id());
                out.write(header, 0, header.length);
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                if (target.writeAs() == null) {
                    writer(schema, data).write(data, encoder);
                } else {
                    Object projected = project(data, schema, target.writeAs());
                    writer(target.writeAs(), projected).write(projected, encoder);
                }
                encoder.flush();
                return out.toByteArray();
            } catch (UnresolvedUnionException e) {
                // its own message prints the whole datum; name the type only
                Object datum = e.getUnresolvedDatum();
                throw new SerializationException(failure(topic, subject, schema, target) + "a "
                        + (datum == null ? "null" : datum.getClass().getName()) + " is not in union "
                        + e.getUnionSchema());
            } catch (IOException | RuntimeException e) {
                String message = e.getMessage();
                if (e instanceof AvroRuntimeException && message != null && message.startsWith(UNKNOWN_DATUM)) {
                    // "Unknown datum type <class>: <the value>": keep the class, drop the value
                    int colon = message.indexOf(':', UNKNOWN_DATUM.length());
                    throw new SerializationException(failure(topic, subject, schema, target)
                            + (colon < 0 ? message : message.substring(0, colon))
                            + " (a value Avro cannot place in the schema)");
                }
                throw new SerializationException(failure(topic, subject, schema, target) + e, e);
            }
        }

        /** The start of a failure's message: {@code Cannot serialize <context> with schema id <id>: }. */
        private String failure(String topic, String subject, Schema schema, Target target) {
            return "Cannot serialize " + context(topic, subject, schema) + " with schema id " + target.id() + ": ";
        }

        int prepare(String topic, Schema schema) {
            return target(topic, subject(topic, schema), schema).id();
        }

        private String subject(String topic, Schema schema) {
            try {
                return config.subjectNameStrategy().subjectName(topic, config.isKey(), schema);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("Cannot serialize " + side() + " for topic '" + topic + "': "
                        + e.getMessage());
            }
        }

        private String side() {
            return config.isKey() ? "key" : "value";
        }

        /** What a failure names; built only on failure, as it would cost a string per record otherwise. */
        private String context(String topic, String subject, Schema schema) {
            return side() + " for topic '" + topic + "' (subject '" + subject + "', schema " + schema.getFullName() + ")";
        }

        private Target target(String topic, String subject, Schema schema) {
            try {
                return registryTarget(topic, subject, schema);
            } catch (SchemaRegistryException e) {
                throw new SerializationException("Cannot serialize " + context(topic, subject, schema) + ": "
                        + e.getMessage(), e);
            }
        }

        private Target registryTarget(String topic, String subject, Schema schema) {
            if (config.useLatestVersion()) {
                RegisteredSchema version = latest(subject);
                if (version.schema().equals(schema)) {
                    return new Target(version.id(), null);
                }
                List<String> problems = latestProblems.getOrLoad(new SchemaPair(version.schema(), schema),
                        pair -> AvroCompatibility.problems(pair.reader(), pair.writer()));
                if (!problems.isEmpty()) {
                    throw new SerializationException("Cannot serialize " + context(topic, subject, schema) + ": "
                            + SerdeConfig.USE_LATEST_VERSION
                            + " is set but the latest version " + version.version() + " (schema id " + version.id()
                            + ") of subject '" + subject + "' cannot read the record's schema: "
                            + String.join("; ", problems));
                }
                return new Target(version.id(), version.schema());
            }
            SubjectSchema key = new SubjectSchema(subject, schema);
            boolean normalize = config.normalizeSchemas();
            int id = config.autoRegisterSchemas()
                    ? ids.getOrLoad(key, k -> client.register(subject, schema, normalize))
                    : ids.getOrLoad(key, k -> client.lookup(subject, schema, normalize));
            return new Target(id, null);
        }

        private RegisteredSchema latest(String subject) {
            CachedLatest cached = latest.get(subject);
            long now = System.nanoTime();
            if (cached != null && config.latestCacheTtl()
                    .map(ttl -> now - cached.loadedAtNanos() < ttl.toNanos()).orElse(true)) {
                return cached.version();
            }
            RegisteredSchema version = client.latest(subject);
            latest.put(subject, new CachedLatest(version, now));
            return version;
        }

        @SuppressWarnings("unchecked")
        private DatumWriter<Object> writer(Schema schema, Object datum) {
            GenericData model = datum instanceof SpecificRecord
                    ? AvroModels.of(datum.getClass()) : GenericData.get();
            return writers.getOrLoad(new WriterKey(schema, model), key -> key.model() instanceof SpecificData specific
                    ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(key.schema(), specific)
                    : new GenericDatumWriter<>(key.schema(), key.model()));
        }

        /** Re-reads {@code datum} as {@code target} (Avro schema resolution), for writing as the latest version. */
        private Object project(Object datum, Schema own, Schema target) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            writer(own, datum).write(datum, encoder);
            encoder.flush();
            DatumReader<Object> reader = projections.getOrLoad(new SchemaPair(target, own),
                    pair -> new GenericDatumReader<>(pair.writer(), pair.reader(), GenericData.get()));
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        }
    }
}
