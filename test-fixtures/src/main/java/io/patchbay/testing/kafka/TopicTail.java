package io.patchbay.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from its beginning, raw bytes, on a background thread for the whole test JVM, so that tests
 * can ask "everything on this topic up to now" cheaply and many times: {@link #upToNow()} fetches the current
 * end offsets and waits (with a deadline) until the tail has read that far.
 */
public final class TopicTail implements AutoCloseable {

    private final String topic;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<TopicPartition> partitions;
    private final Thread thread;
    private volatile boolean running = true;

    public TopicTail(String bootstrapServers, String topic, Admin admin) {
        this.topic = topic;
        this.admin = admin;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(p -> positions.put(p, consumer.position(p)));
        this.thread = new Thread(this::run, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var polled = consumer.poll(Duration.ofMillis(100));
                synchronized (records) {
                    polled.forEach(records::add);
                }
                partitions.forEach(p -> positions.put(p, consumer.position(p)));
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Every record on the topic up to its end offsets as of this call. */
    public List<ConsumerRecord<String, byte[]>> upToNow() {
        Map<TopicPartition, Long> ends = endOffsets();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ends.entrySet().stream().anyMatch(e -> positions.getOrDefault(e.getKey(), 0L) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tail of " + topic + " did not reach " + ends + " (at " + positions + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** The sum of the topic's end offsets: how many records it has ever had. */
    public long size() {
        return endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            return latest.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("end offsets of " + topic, e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
