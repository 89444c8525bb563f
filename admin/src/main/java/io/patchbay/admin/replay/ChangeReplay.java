package io.patchbay.admin.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.avro.Schema;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.admin.AdminException;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.registry.SchemaFingerprints;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.registry.SchemaRegistryException;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SchemaIds;
import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.store.schema.WriterSchema;
import io.patchbay.store.schema.WriterSchemaBackfill;
import io.patchbay.store.schema.WriterSchemas;

/**
 * Re-publishes change-log entries for consumers that joined late or lost data: each event's bytes as first published
 * (payload, hash chain and all), keyed by the resource id in the processor's key format ({@link KeyFormat}), in change
 * order (a resource's versions in order), with a {@value #HEADER} header naming the run so that a consumer can tell a
 * replay from a first publication. Optionally each matching resource's newest event goes to a compacted topic (key =
 * resource id), a table of current states: the event's {@code after}.
 *
 * <p>The one part of an event that may differ from its first publication is the registry schema id in its 5-byte
 * header. Before it sends anything, a run registers each stored writer schema of the selection ({@code writer_schema})
 * in the registry as it is now and uses the id the registry gives it: the same id while the registry kept it, a new one
 * when the registry lost the id or gave it to another schema (the stored id is never trusted by itself). It fails,
 * having sent nothing, when a schema cannot be registered or a selected event has no stored writer schema even after
 * the backfill ({@link WriterSchemaBackfill}). The payload after the header, which is what the hash chain covers, is
 * always the stored one.
 */
public final class ChangeReplay {

    /** Header on every replayed record; its value is the run's id. */
    public static final String HEADER = "patchbay-replay";

    /** How keys are written; the processor's {@code patchbay.processor.key-format}. */
    public enum KeyFormat {
        /** The resource id's UTF-8 bytes. */
        STRING,
        /** The resource id as Confluent's Avro serializer writes a string, its schema registered under {@code <topic>-key}. */
        AVRO
    }

    /**
     * What a run published.
     *
     * @param records records published and acknowledged
     * @param reframed of those, events whose schema id the current registry gives differs from the stored one
     */
    public record Published(long records, long reframed) {
    }

    private final String bootstrapServers;
    private final Duration timeout;
    private final SchemaRegistryClient registry;
    private final KeyFormat keyFormat;
    private final String registryUrl;
    private final ConfluentAvroSerializer<Object> avroKeys = new ConfluentAvroSerializer<>();

    private final Topics topics;

    /**
     * A replay through the registry at {@code registryUrl}, keys in {@code keyFormat}; {@code topics} names the subjects
     * of writer schemas it backfills.
     */
    public ChangeReplay(String bootstrapServers, Duration timeout, String registryUrl, KeyFormat keyFormat, Topics topics) {
        this.topics = topics;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.registryUrl = registryUrl;
        this.registry = SchemaRegistryClients.forUrl(registryUrl);
        this.keyFormat = keyFormat;
        if (keyFormat == KeyFormat.AVRO) {
            avroKeys.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), true);
        }
    }

    /**
     * Publishes the entries {@code filter} selects, each to {@code topicOf} its resource type.
     *
     * @return how many records were published and acknowledged, and how many got a new schema id
     */
    public Published replay(Jdbi jdbi, ReplayFilter filter, Function<String, String> topicOf, String runId) {
        return send(jdbi, filter, topicOf, runId);
    }

    /** As {@link #replay(Jdbi, ReplayFilter, Function, String)}, creating {@code target} first when it is missing. */
    public Published replayTo(Jdbi jdbi, ReplayFilter filter, String target, String runId) {
        createTopic(target, Map.of());
        return send(jdbi, filter, type -> target, runId);
    }

    private Published send(Jdbi jdbi, ReplayFilter filter, Function<String, String> topicOf, String runId) {
        Map<ByteBuffer, Integer> ids = currentIds(jdbi, filter);
        long[] reframed = {0};
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            jdbi.useTransaction(handle -> filter.bind(handle.createQuery("select resource_type, resource_id, payload,"
                            + " writer_fingerprint from change_log where " + filter.where() + " order by feed_tx, feed_seq"))
                    .setFetchSize(500)
                    .map((rs, ctx) -> {
                        byte[] stored = rs.getBytes("payload");
                        byte[] payload = reframe(stored, rs.getBytes("writer_fingerprint"), ids);
                        reframed[0] += payload == stored ? 0 : 1;
                        return sent.add(producer.send(record(topicOf.apply(rs.getString("resource_type")),
                                rs.getString("resource_id"), payload, runId)));
                    })
                    .forEach(added -> { }));
            return new Published(awaitAll(sent), reframed[0]);
        }
    }

    /**
     * The id the registry gives now to each writer schema of the selection, registering it under its stored subject
     * when it is missing. Fails when a selected event has no stored writer schema or one cannot be registered.
     */
    private Map<ByteBuffer, Integer> currentIds(Jdbi jdbi, ReplayFilter filter) {
        long without = countWithoutWriter(jdbi, filter);
        List<String> unresolved = List.of();
        if (without > 0) {
            unresolved = new WriterSchemaBackfill(jdbi, registry, topics).run().unresolved();
            without = countWithoutWriter(jdbi, filter);
        }
        if (without > 0) {
            throw new AdminException(without + " of the selected events have no stored writer schema, and the registry at "
                    + registryUrl + " cannot supply it (" + String.join("; ", unresolved) + "). Re-publishing them"
                    + " would send schema ids the registry does not hold for them; nothing was published");
        }
        List<byte[]> fingerprints = jdbi.withHandle(h -> filter.bind(h.createQuery("select distinct writer_fingerprint"
                + " from change_log where " + filter.where())).mapTo(byte[].class).list());
        Map<ByteBuffer, Integer> ids = new HashMap<>();
        if (fingerprints.isEmpty()) {
            return ids;
        }
        List<WriterSchema> stored = jdbi.withHandle(h -> new WriterSchemas().findAll(h, fingerprints));
        for (WriterSchema writer : stored) {
            Schema schema = SchemaFingerprints.parse(writer.schemaText());
            try {
                ids.put(ByteBuffer.wrap(writer.fingerprint()), registry.register(writer.subject(), schema));
            } catch (SchemaRegistryException e) {
                throw new AdminException("could not register the stored writer schema " + schema.getFullName()
                        + " (first registered as id " + writer.registeredId() + ") under subject '" + writer.subject()
                        + "' in the registry at " + registryUrl + ": " + e.getMessage() + "; nothing was published");
            }
        }
        if (ids.size() != fingerprints.size()) {
            throw new AdminException("change_log names writer schemas that writer_schema does not hold; nothing was published");
        }
        return ids;
    }

    private static long countWithoutWriter(Jdbi jdbi, ReplayFilter filter) {
        return jdbi.withHandle(h -> filter.bind(h.createQuery("select count(*) from change_log where " + filter.where()
                + " and writer_fingerprint is null")).mapTo(Long.class).one());
    }

    /** The stored event with the schema id the registry gives its writer schema now. */
    private static byte[] reframe(byte[] stored, byte[] fingerprint, Map<ByteBuffer, Integer> ids) {
        return SchemaIds.withId(stored, ids.get(ByteBuffer.wrap(fingerprint)));
    }

    /**
     * Publishes the newest event of each resource {@code filter} selects to {@code stateTopic}, created compacted
     * ({@code cleanup.policy=compact}) when missing.
     *
     * @return how many resources were published
     */
    public long publishStates(Jdbi jdbi, ReplayFilter filter, String stateTopic, String runId) {
        createTopic(stateTopic, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        Map<ByteBuffer, Integer> ids = currentIds(jdbi, filter);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            jdbi.useTransaction(handle -> filter.bind(handle.createQuery("select distinct on (resource_type, resource_id)"
                            + " resource_id, payload, writer_fingerprint from change_log where " + filter.where()
                            + " order by resource_type, resource_id, version desc"))
                    .setFetchSize(500)
                    .map((rs, ctx) -> sent.add(producer.send(record(stateTopic, rs.getString("resource_id"),
                            reframe(rs.getBytes("payload"), rs.getBytes("writer_fingerprint"), ids), runId))))
                    .forEach(added -> { }));
            return awaitAll(sent);
        }
    }

    /** The changes topic of a resource type under {@code prefix}, as the apps name it. */
    public static Function<String, String> changesTopics(String prefix) {
        Topics topics = new Topics(prefix);
        return type -> topics.changes(ResourceType.valueOf(type));
    }

    private ProducerRecord<byte[], byte[]> record(String topic, String resourceId, byte[] payload, String runId) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, keyBytes(topic, resourceId), payload);
        record.headers().add(HEADER, runId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private byte[] keyBytes(String topic, String resourceId) {
        return keyFormat == KeyFormat.AVRO ? avroKeys.serialize(topic, resourceId) : resourceId.getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "patchbay-admin-replay");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis() / 2));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private long awaitAll(List<Future<RecordMetadata>> sent) {
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AdminException("the broker did not acknowledge a replayed record: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdminException("interrupted while replaying");
            }
        }
        return sent.size();
    }

    /** Creates {@code topic} with the broker's default partitions and replication and {@code configs}, unless it exists. */
    private void createTopic(String topic, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()).configs(configs)))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new AdminException("could not create the topic " + topic + ": " + e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            throw new AdminException("could not create the topic " + topic + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while creating " + topic);
        }
    }
}
