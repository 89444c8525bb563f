package io.patchbay.adapter.command;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes update commands and waits for the broker's acknowledgement (acks=all, idempotent producer). */
public final class CommandPublisher {

    private final Producer<String, Object> producer;
    private final Duration timeout;

    public CommandPublisher(Producer<String, Object> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    /** @throws PublishFailedException when the broker did not acknowledge in time */
    public void publish(String topic, String key, SpecificRecord command) {
        try {
            producer.send(new ProducerRecord<>(topic, key, command)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publishing to " + topic + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("the broker did not acknowledge within " + timeout, e);
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
