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
 * <p>A failure must be definitive: the caller releases the request's Idempotency-Key claim and answers 500, and
 * the client's retry becomes a new command. So the producer is configured to give up within the publish timeout
 * ({@code delivery.timeout.ms}, {@code max.block.ms}), and this class waits for the producer's own verdict
 * instead of abandoning a record that could still be delivered after the client was told it failed.
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
     * Sends {@code record}; the future fails with {@link PublishFailedException} when the producer gave up (the
     * command will never reach Kafka), or with an {@link IllegalStateException} when the producer gave no
     * verdict at all (then nothing is certain).
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

    /** The command did not reach Kafka; the client gets a 500 and may retry. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
