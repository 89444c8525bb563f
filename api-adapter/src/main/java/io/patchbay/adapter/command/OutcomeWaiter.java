package io.patchbay.adapter.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.schemas.CommandResult;

/**
 * Completes waiting PATCH requests with their outcomes, request–reply in the way of spring-kafka's
 * {@code ReplyingKafkaTemplate}: every instance leases partitions of the replies topic through a consumer group (no
 * offsets are committed; a new lease starts at the end), names the lowest one in the {@code kafka_replyPartition}
 * header of its commands ({@link #replyPartition}), and the processor sends each result there. So an instance reads
 * only the outcomes of its own requests, and it decodes a record only when its key is a command it waits for.
 *
 * <p>An outcome that does not arrive (a rebalance moved the partition, more instances than partitions, a result on
 * the shared results topic) turns the synchronous answer into a look at the command log when the wait budget runs
 * out, or a 202: the outcome stays readable at {@code /api/v1/commands/{id}}.
 */
public final class OutcomeWaiter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWaiter.class);

    private record Waiting(CompletableFuture<CommandResult> future, long registeredAt) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<Object> deserializer;
    private final String topic;
    private final Duration retention;
    private final Duration leaseTimeout;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final CountDownLatch leased = new CountDownLatch(1);
    private volatile int replyPartition = -1;
    private volatile boolean running;
    private volatile Thread thread;

    /**
     * @param consumer a consumer of the replies topic in the adapters' group, committing nothing
     * @param retention how long a registration is kept when its outcome never comes
     * @param leaseTimeout how long {@link #start} waits for the first lease of a partition
     */
    public OutcomeWaiter(Consumer<byte[], byte[]> consumer, Deserializer<Object> deserializer, String topic,
                         Duration retention, Duration leaseTimeout) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.topic = topic;
        this.retention = retention;
        this.leaseTimeout = leaseTimeout;
    }

    /** Registers interest in {@code commandId}; call before publishing, since the result can beat the ack. */
    public CompletableFuture<CommandResult> register(String commandId) {
        return waiting.computeIfAbsent(commandId, id -> new Waiting(new CompletableFuture<>(), System.nanoTime())).future();
    }

    /** The partition of the replies topic this instance reads, to name in its commands; empty while it leases none. */
    public OptionalInt replyPartition() {
        int partition = replyPartition;
        return partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition);
    }

    /** The replies topic. */
    public String topic() {
        return topic;
    }

    /** Replies decoded so far: only those of commands this instance waited for. */
    public long decoded() {
        return decoded.get();
    }

    /** Replies read but not decoded (their command is not waited for here, or no longer). */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public void start() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                leaseChanged(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                leaseChanged(List.of());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                leaseChanged(partitions);
            }
        });
        running = true;
        thread = new Thread(this::pollLoop, "outcome-waiter");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!leased.await(leaseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("no partition of {} leased within {}: PATCH answers 202 until one is", topic, leaseTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names the lowest partition this instance keeps ({@code leaving} are on their way out) in its next commands. */
    private void leaseChanged(Collection<TopicPartition> leaving) {
        int lowest = !running ? -1 : consumer.assignment().stream().filter(p -> !leaving.contains(p))
                .mapToInt(TopicPartition::partition).min().orElse(-1);
        if (lowest >= 0) {
            if (lowest != replyPartition) {
                log.info("replies of this instance's commands go to {}-{}", topic, lowest);
            }
            leased.countDown();
        } else if (replyPartition >= 0 && running) {
            log.warn("this instance leases no partition of {} any more (more adapters than partitions?): PATCH answers"
                    + " come from the command log after the wait", topic);
        }
        replyPartition = lowest;
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    complete(record);
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
            replyPartition = -1;
            consumer.close();
        }
    }

    /**
     * Matches a reply by its {@code kafka_correlationId} header (the command id the processor echoes), else by its key
     * (the command id as a plain string on the replies topic), before anything is decoded.
     */
    private void complete(ConsumerRecord<byte[], byte[]> record) {
        Header correlation = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        byte[] id = correlation != null ? correlation.value() : record.key();
        Waiting w = id == null ? null : waiting.remove(new String(id, StandardCharsets.UTF_8));
        if (w == null) {
            skipped.incrementAndGet();
            return;
        }
        decoded.incrementAndGet();
        ReplyTrace.replied(w.registeredAt(), record.timestamp());
        try {
            if (deserializer.deserialize(record.topic(), record.headers(), record.value()) instanceof CommandResult result) {
                w.future().complete(result);
            }
        } catch (RuntimeException e) {
            log.warn("the reply for command {} cannot be decoded; its request is answered from the command log",
                    new String(id, StandardCharsets.UTF_8), e);
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

    /** Before the web server, so that the first requests already name a reply partition. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
