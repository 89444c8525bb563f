package io.patchbay.adapter.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * Finds a command on its commands topic by id: the status of a command the processor has not decided yet. The
 * commands topic is the record of what was accepted (the command log the record of decisions), so a PENDING
 * answer needs no database write per request, and survives the adapter that accepted the command.
 *
 * <p>The adapter publishes each command with its id's timestamp as the record timestamp and the id in the
 * {@code kafka_correlationId} header. A search starts, in each partition, at the first record of that time
 * ({@code offsetsForTimes}) and reads forward while records are no later than the time plus the publish timeout
 * (how late the record can have been appended) and a clock-skew allowance; it reads headers only and decodes the
 * one record whose header matches. Lookups share one consumer and run one at a time.
 */
public final class CommandRecords implements AutoCloseable {

    /** How far the clocks of two adapter instances may disagree. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<Object> deserializer;
    private final Topics topics;
    private final Duration window;
    private final Duration searchTimeout;

    /**
     * @param publishTimeout the adapter's publish timeout: a record is appended at most this long after its timestamp
     * @param searchTimeout longest a lookup reads before it answers "not found"
     */
    public CommandRecords(Consumer<byte[], byte[]> consumer, Deserializer<Object> deserializer, Topics topics,
                          Duration publishTimeout, Duration searchTimeout) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.topics = topics;
        this.window = publishTimeout.plus(CLOCK_SKEW);
        this.searchTimeout = searchTimeout;
    }

    /** The metadata of command {@code commandId}, accepted at {@code acceptedAt}, if it is on its commands topic. */
    public synchronized Optional<CommandMetadata> find(ResourceType type, String commandId, Instant acceptedAt) {
        String topic = topics.commands(type);
        byte[] wanted = commandId.getBytes(StandardCharsets.UTF_8);
        long from = acceptedAt.toEpochMilli();
        long until = from + window.toMillis();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, searchTimeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, searchTimeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, searchTimeout);
        Set<TopicPartition> open = new HashSet<>();
        starts.forEach((partition, start) -> {
            if (start != null && start.offset() < ends.get(partition)) {
                open.add(partition);
            }
        });
        consumer.assign(open);
        open.forEach(p -> consumer.seek(p, starts.get(p).offset()));
        long deadline = System.nanoTime() + searchTimeout.toNanos();
        try {
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!open.contains(partition)) {
                        continue;
                    }
                    Header id = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                    if (id != null && Arrays.equals(id.value(), wanted)) {
                        return metadata(record).filter(m -> m.getCommandId().equals(commandId));
                    }
                    if (record.timestamp() > until || record.offset() + 1 >= ends.get(partition)) {
                        open.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
            }
            return Optional.empty();
        } finally {
            consumer.assign(List.of());
        }
    }

    private Optional<CommandMetadata> metadata(ConsumerRecord<byte[], byte[]> record) {
        Object value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (value instanceof SpecificRecord command && command.getSchema().getField("metadata") != null) {
            return Optional.of((CommandMetadata) command.get(command.getSchema().getField("metadata").pos()));
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
