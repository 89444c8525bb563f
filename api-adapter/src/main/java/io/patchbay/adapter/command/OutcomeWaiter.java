package io.patchbay.adapter.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.registry.RegistryUnavailableException;

/**
 * Completes waiting PATCH requests with their outcomes. Every adapter instance reads the whole results topic
 * from its end, without a consumer group, and picks the command ids it waits for; results of other
 * instances' commands are ignored. A result missed (for example while this instance starts) only turns a
 * 200 into a 202, because the outcome stays readable at {@code /api/v1/commands/{id}}.
 */
public final class OutcomeWaiter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWaiter.class);

    private record Waiting(CompletableFuture<CommandResult> future, long registeredAt) {
    }

    private final KafkaConsumer<byte[], Object> consumer;
    private final String topic;
    private final Duration retention;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicLong registryOutages = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;

    public OutcomeWaiter(KafkaConsumer<byte[], Object> consumer, String topic, Duration retention) {
        this.consumer = consumer;
        this.topic = topic;
        this.retention = retention;
    }

    /** Registers interest in {@code commandId}; call before publishing, since the result can beat the ack. */
    public CompletableFuture<CommandResult> register(String commandId) {
        return waiting.computeIfAbsent(commandId, id -> new Waiting(new CompletableFuture<>(), System.nanoTime())).future();
    }

    @Override
    public void start() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        running = true;
        thread = new Thread(this::pollLoop, "outcome-waiter");
        thread.setDaemon(true);
        thread.start();
    }

    private void pollLoop() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<byte[], Object> record : consumer.poll(Duration.ofMillis(200))) {
                        complete(record);
                    }
                } catch (RecordDeserializationException e) {
                    undecodable(e);
                }
                expireStale();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("outcome waiter stopped; PATCH requests will answer 202 until restart", e);
        } finally {
            consumer.close();
        }
    }

    /**
     * A result this instance cannot decode now. While the schema registry is unavailable the consumer stays on the
     * record and reads it again after a pause (a transient outage must not stop the waiter for good); any other
     * failure skips the record, whose waiting request then answers from the command log.
     */
    private void undecodable(RecordDeserializationException e) {
        if (RegistryUnavailableException.findIn(e) != null) {
            registryOutages.incrementAndGet();
            log.warn("outcome waiter: the schema registry is unavailable; reading {} offset {} again in 1 s: {}",
                    e.topicPartition(), e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            consumer.seek(e.topicPartition(), e.offset());
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        } else {
            log.error("outcome waiter: skipping undecodable result at {} offset {}", e.topicPartition(), e.offset(), e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    /** How many times reading results waited for an unavailable schema registry. */
    public long registryOutages() {
        return registryOutages.get();
    }

    /**
     * Matches a result by the command id in its value, not by its key, so that either key format of the processor
     * ({@code patchbay.processor.key-format}) works without configuring the adapter.
     */
    private void complete(ConsumerRecord<byte[], Object> record) {
        if (record.value() instanceof CommandResult result) {
            Waiting w = waiting.remove(result.getCommandId());
            if (w != null) {
                w.future().complete(result);
            }
        }
    }

    private void expireStale() {
        long cutoff = System.nanoTime() - retention.toNanos();
        waiting.entrySet().removeIf(entry -> entry.getValue().registeredAt() < cutoff);
    }

    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True while the poll loop runs; it stops for good only on an unexpected error (then PATCH answers 202). */
    public boolean isReading() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
