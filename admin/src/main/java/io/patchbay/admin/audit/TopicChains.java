package io.patchbay.admin.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Verifies the chains of the change events on a topic, from its beginning to its end as of the start, in topic order
 * (a resource's events share a partition). Re-published copies (the topic is at-least-once) must equal the first.
 * Reads raw bytes: no registry is needed. Events a topic's retention has deleted show as a missing version before
 * the first one kept.
 */
public final class TopicChains {

    private final String bootstrapServers;
    private final Duration timeout;

    public TopicChains(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    public ChainVerifier.Report verify(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "patchbay-admin-verify-" + UUID.randomUUID());
        ChainVerifier verifier = new ChainVerifier();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        verifier.accept(topic + "/" + resourceOf(record), null, record.value());
                    }
                }
            }
        }
        return verifier.report();
    }

    private static String resourceOf(ConsumerRecord<byte[], byte[]> record) {
        try {
            return EventHeader.read(record.value()).resourceId();
        } catch (RuntimeException e) {
            return "partition-" + record.partition() + "-key-" + (record.key() == null ? "none"
                    : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
