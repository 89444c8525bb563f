package io.patchbay.processor.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a committed batch's events, results and dead letters: {@link #send} hands them to the producer without
 * waiting, {@link #await} waits until the broker has acknowledged all of them, and {@link #publish} does both. Offsets
 * are committed only after a successful {@link #await}, so nothing is lost if it fails.
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

    /** Sends {@code records} and waits until the broker has acknowledged every one of them. */
    public void publish(List<ProducerRecord<String, byte[]>> records) {
        await(send(records));
    }

    /**
     * Hands {@code records} to the producer in order and returns at once; the result completes when the broker has
     * acknowledged all of them, or exceptionally with the first failure once every record has been answered.
     */
    public Sent send(List<ProducerRecord<String, byte[]>> records) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        AtomicInteger unanswered = new AtomicInteger(records.size() + 1);
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Runnable answered = () -> {
            if (unanswered.decrementAndGet() == 0) {
                Exception failure = firstFailure.get();
                if (failure == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(failure);
                }
            }
        };
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    firstFailure.compareAndSet(null, error);
                }
                answered.run();
            });
        }
        answered.run();
        return new Sent(records, acked, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Waits until every record of {@code sent} is acknowledged, at most until the publish timeout (counted from
     * {@link #send}) has passed.
     *
     * @throws KafkaException when a record was refused or not acknowledged in time
     */
    public void await(Sent sent) {
        try {
            sent.acked().get(Math.max(0, sent.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            onFailure.run();
            throw new KafkaException("publishing " + sent.records().size() + " outcome record(s) failed", e.getCause());
        } catch (TimeoutException e) {
            onFailure.run();
            throw new KafkaException("the broker did not acknowledge " + sent.records().size()
                    + " outcome record(s) within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing outcomes", e);
        }
    }

    /**
     * Records handed to the producer: {@code acked} completes once the broker has answered all of them, exceptionally
     * if it refused one; {@code deadlineNanos} ({@link System#nanoTime()}) is when waiting ends.
     */
    public record Sent(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Void> acked, long deadlineNanos) {

        /** Whether every record has been answered, or the time to wait for that is over. */
        public boolean due() {
            return acked.isDone() || System.nanoTime() - deadlineNanos >= 0;
        }
    }
}
