package io.patchbay.adapter.command;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.patchbay.adapter.metrics.AdapterMetrics;

/**
 * Publishes update commands; the returned future completes when the broker has acknowledged (acks=all,
 * idempotent producer), without holding the caller's thread.
 *
 * <p>A failure is not proof that the command is absent from Kafka: the producer reports a failure (a timeout, a
 * lost connection, {@code NOT_LEADER_OR_FOLLOWER}) also when the broker appended the record but could not acknowledge
 * it, for example because it was killed right after the append (RELIABILITY.md finding 4). So the caller never
 * treats a failure as "not sent": under an Idempotency-Key claim it keeps the claim and its command id, and the retry
 * publishes the same command id again, which the processor decides at most once ({@link CommandSubmitter}); without
 * a key the client gets a 500 and the command may still be applied. The producer is idempotent with acks=all and is
 * configured to give its verdict within the publish timeout ({@code delivery.timeout.ms}, {@code max.block.ms}), and
 * this class waits for that verdict, so the answer comes after the producer stopped trying.
 */
public final class CommandPublisher {

    /** Beyond the producer's own delivery timeout, how long to wait for it to report (it always does). */
    private static final Duration VERDICT_GRACE = Duration.ofSeconds(30);

    private final Producer<String, Object> producer;
    private final Duration timeout;
    private final AdapterMetrics metrics;

    public CommandPublisher(Producer<String, Object> producer, Duration timeout, AdapterMetrics metrics) {
        this.producer = producer;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * Sends {@code record}; the future fails with {@link PublishFailedException} when the producer reported a
     * failure (the record may still have been appended), or with an {@link IllegalStateException} when the producer
     * gave no verdict at all. Either way the command may or may not be on Kafka.
     */
    public CompletableFuture<Void> publish(ProducerRecord<String, Object> record) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        metrics.received(record.topic());
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    metrics.publishFailed(record.topic());
                    acknowledged.completeExceptionally(new PublishFailedException("publishing to " + record.topic() + " failed", error));
                }
            });
        } catch (RuntimeException e) {
            metrics.publishFailed(record.topic());
            acknowledged.completeExceptionally(new PublishFailedException("publishing to " + record.topic() + " failed", e));
        }
        return acknowledged.orTimeout(timeout.plus(VERDICT_GRACE).toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(error instanceof TimeoutException
                        ? new IllegalStateException("the producer gave no verdict within " + timeout.plus(VERDICT_GRACE)
                                + "; its delivery.timeout.ms must not exceed the publish timeout", error)
                        : error));
    }

    /**
     * The producer reported a failure, thrown by {@code send} or passed to its callback: the command may or may not
     * be on Kafka (only a failure thrown before anything was sent, such as a serialization error, proves it absent,
     * and the caller does not tell them apart).
     */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
