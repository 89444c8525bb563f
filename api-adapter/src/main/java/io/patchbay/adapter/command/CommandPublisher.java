package io.patchbay.adapter.command;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes update commands and waits for the broker's acknowledgement (acks=all, idempotent producer).
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

    public CommandPublisher(Producer<String, Object> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    /** @throws PublishFailedException when the broker did not acknowledge in time */
    public void publish(String topic, String key, SpecificRecord command) {
        try {
            producer.send(new ProducerRecord<>(topic, key, command))
                    .get(timeout.plus(VERDICT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publishing to " + topic + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the producer gave no verdict within " + timeout.plus(VERDICT_GRACE)
                    + "; its delivery.timeout.ms must not exceed the publish timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing", e);
        } catch (RuntimeException e) {
            throw new PublishFailedException("publishing to " + topic + " failed", e);
        }
    }

    /** The command did not reach Kafka; the client gets a 500 and may retry. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
