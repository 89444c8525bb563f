package io.patchbay.processor.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a committed batch's events, results and dead letters, and returns only when the broker has
 * acknowledged all of them; offsets are committed after that, so nothing is lost if it fails.
 */
public final class OutcomePublisher {

    private final Producer<String, byte[]> producer;
    private final Duration timeout;
    private final Runnable onFailure;

    public OutcomePublisher(Producer<String, byte[]> producer, Duration timeout) {
        this(producer, timeout, () -> { });
    }

    /** As the other constructor, running {@code onFailure} (metrics) each time a batch is not acknowledged. */
    public OutcomePublisher(Producer<String, byte[]> producer, Duration timeout, Runnable onFailure) {
        this.producer = producer;
        this.timeout = timeout;
        this.onFailure = onFailure;
    }

    public void publish(List<ProducerRecord<String, byte[]>> records) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    ack.completeExceptionally(error);
                } else {
                    ack.complete(metadata);
                }
            });
            acks.add(ack);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            onFailure.run();
            throw new KafkaException("publishing " + records.size() + " outcome record(s) failed", e.getCause());
        } catch (TimeoutException e) {
            onFailure.run();
            throw new KafkaException("the broker did not acknowledge " + records.size() + " outcome record(s) within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing outcomes", e);
        }
    }
}
