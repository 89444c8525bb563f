package io.patchbay.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * What is on patchbay's topics, read with the project's own Avro serdes: background {@link TopicTail}s for the
 * rest of the JVM, reads from the beginning with a deadline, and producing as an outside producer would.
 */
public final class KafkaTopics implements AutoCloseable {

    private static final Duration RESULT_DEADLINE = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String registryUrl;
    private final Topics topics;
    private final Admin admin;
    private final Map<String, TopicTail> tails = new ConcurrentHashMap<>();
    private final ConfluentAvroDeserializer<Object> avro;
    /** Asks for end offsets only: one for all of this instance's comparisons instead of a consumer started for each. */
    private KafkaConsumer<String, Object> offsets;

    public KafkaTopics(String bootstrapServers, String registryUrl, Topics topics) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.topics = topics;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        this.avro = ConfluentAvroDeserializer.specificForRegistry(registryUrl);
    }

    /** A background reader of {@code topic} for the rest of the JVM (one per topic). */
    public TopicTail tail(String topic) {
        return tails.computeIfAbsent(topic, t -> new TopicTail(bootstrapServers, t, admin));
    }

    /** The record's value decoded with the project's own Confluent-wire-format deserializer. */
    public Object decode(ConsumerRecord<String, byte[]> record) {
        return avro.deserialize(record.topic(), record.headers(), record.value());
    }

    /** Every evaluation change event published so far for {@code evaluationId}, in order. */
    public List<EvaluationChanged> evaluationChanges(String evaluationId) {
        return tail(topics.changes(ResourceType.EVALUATION)).upToNow().stream()
                .filter(r -> evaluationId.equals(r.key())).map(r -> (EvaluationChanged) decode(r)).toList();
    }

    /** Waits (with a deadline) for the outcome of {@code commandId} on the results topic. */
    public CommandResult awaitResult(String commandId) {
        TopicTail results = tail(topics.commandResults());
        return Poll.until("the result of command " + commandId, RESULT_DEADLINE,
                () -> results.upToNow().stream().filter(r -> commandId.equals(r.key())).findFirst(), Optional::isPresent)
                .map(r -> (CommandResult) decode(r)).orElseThrow();
    }

    /** The end offset of every partition of {@code topic}: what a later comparison shows was (not) written. */
    public synchronized Map<Integer, Long> endOffsets(String topic) {
        if (offsets == null) {
            offsets = consumer();
        }
        Map<Integer, Long> ends = new TreeMap<>();
        offsets.endOffsets(partitions(offsets, topic)).forEach((partition, offset) -> ends.put(partition.partition(), offset));
        return ends;
    }

    /**
     * How many records were ever appended to {@code topic}: the sum of its partitions' end offsets; -1 while they cannot
     * be read (the topic not created yet), so that a poll on it keeps polling.
     */
    public long appended(String topic) {
        try {
            return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Reads {@code topic} from the beginning until {@code until} holds for the records read, or fails at the deadline. */
    public List<ConsumerRecord<String, Object>> readUntil(String topic, Predicate<List<ConsumerRecord<String, Object>>> until,
                                                          Duration deadline) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            long end = System.nanoTime() + deadline.toNanos();
            while (!until.test(records)) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("condition not met on " + topic + " within " + deadline + "; read " + records.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** Every record of {@code topic} up to its current end. */
    public List<ConsumerRecord<String, Object>> readAll(String topic) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("could not read " + topic + " to " + ends + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * The first {@code count} (or more) records of {@code topic} from its beginning as they are on the wire: keys as
     * strings, values as the raw bytes (Confluent framing included), for checks of the bytes themselves. Waits for the
     * topic to exist and to hold them; fails after {@link #RESULT_DEADLINE}.
     */
    public List<ConsumerRecord<String, byte[]>> readRaw(String topic, int count) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, RESULT_DEADLINE).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            return Poll.until(count + " records on " + topic, RESULT_DEADLINE, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records;
            }, r -> r.size() >= count);
        }
    }

    /** A producer of Avro values with the project's serializer, acks=all. */
    public KafkaProducer<String, Object> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all"), new StringSerializer(),
                ConfluentAvroSerializer.forRegistry(registryUrl));
    }

    /** Writes {@code value} to {@code topic} under {@code key} and waits for the broker's acknowledgement. */
    public <T> void produce(String topic, String key, T value) {
        try (KafkaProducer<String, Object> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    @Override
    public void close() {
        tails.values().forEach(TopicTail::close);
        synchronized (this) {
            if (offsets != null) {
                offsets.close();
            }
        }
        admin.close();
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, Object> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<String, Object> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), ConfluentAvroDeserializer.specificForRegistry(registryUrl));
    }
}
