package io.patchbay.admin.replay;

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
import org.jdbi.v3.core.Handle;

import io.patchbay.admin.AdminException;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * Re-publishes change-log entries for consumers that joined late or lost data: each event's bytes exactly as first
 * published (so its registry schema id, hash chain and payload are unchanged), keyed by the resource id (UTF-8, the
 * processor's default key format), in change order (a resource's versions in order), with a {@value #HEADER} header
 * naming the run so that a consumer can tell a replay from a first publication. Optionally each matching resource's
 * newest event goes to a compacted topic (key = resource id), a table of current states: the event's {@code after}.
 */
public final class ChangeReplay {

    /** Header on every replayed record; its value is the run's id. */
    public static final String HEADER = "patchbay-replay";

    private final String bootstrapServers;
    private final Duration timeout;

    public ChangeReplay(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /**
     * Publishes the entries {@code filter} selects, each to {@code topicOf} its resource type.
     *
     * @return how many records were published and acknowledged
     */
    public long replay(Handle handle, ReplayFilter filter, Function<String, String> topicOf, String runId) {
        return send(handle, filter, topicOf, runId);
    }

    /** As {@link #replay(Handle, ReplayFilter, Function, String)}, creating {@code target} first when it is missing. */
    public long replayTo(Handle handle, ReplayFilter filter, String target, String runId) {
        createTopic(target, Map.of());
        return send(handle, filter, type -> target, runId);
    }

    private long send(Handle handle, ReplayFilter filter, Function<String, String> topicOf, String runId) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            filter.bind(handle.createQuery("select resource_type, resource_id, payload from change_log where "
                            + filter.where() + " order by feed_tx, feed_seq"))
                    .setFetchSize(500)
                    .map((rs, ctx) -> sent.add(producer.send(record(topicOf.apply(rs.getString("resource_type")),
                            rs.getString("resource_id"), rs.getBytes("payload"), runId))))
                    .forEach(added -> { });
            return awaitAll(sent);
        }
    }

    /**
     * Publishes the newest event of each resource {@code filter} selects to {@code stateTopic}, created compacted
     * ({@code cleanup.policy=compact}) when missing.
     *
     * @return how many resources were published
     */
    public long publishStates(Handle handle, ReplayFilter filter, String stateTopic, String runId) {
        createTopic(stateTopic, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            filter.bind(handle.createQuery("select distinct on (resource_type, resource_id) resource_id, payload"
                            + " from change_log where " + filter.where() + " order by resource_type, resource_id, version desc"))
                    .setFetchSize(500)
                    .map((rs, ctx) -> sent.add(producer.send(record(stateTopic, rs.getString("resource_id"),
                            rs.getBytes("payload"), runId))))
                    .forEach(added -> { });
            return awaitAll(sent);
        }
    }

    /** The changes topic of a resource type under {@code prefix}, as the apps name it. */
    public static Function<String, String> changesTopics(String prefix) {
        Topics topics = new Topics(prefix);
        return type -> topics.changes(ResourceType.valueOf(type));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String resourceId, byte[] payload, String runId) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, resourceId.getBytes(StandardCharsets.UTF_8), payload);
        record.headers().add(HEADER, runId.getBytes(StandardCharsets.UTF_8));
        return record;
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
