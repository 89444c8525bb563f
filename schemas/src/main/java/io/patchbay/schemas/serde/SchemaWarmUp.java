package io.patchbay.schemas.serde;

import io.patchbay.schemas.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the schemas an app writes once, at start, through the serializers that will write them
 * ({@link ConfluentAvroSerializer#prepare}), so that the first records find their ids cached and no request thread
 * ever registers (many request threads registering the same new schema at once is a race the registry may answer
 * with 409 or 500). {@link #start} tries once on the caller's thread, with the registry client's own retries; if
 * the registry cannot be reached, it keeps trying on a daemon thread of its own ({@code schema-warm-up}) with
 * backoff until it succeeds or {@link #close} is called, and {@link #isDone} stays false meanwhile (the apps'
 * readiness reports it), as for the apps' other dependencies: the app starts and is not ready, it does not fail.
 */
public final class SchemaWarmUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaWarmUp.class);

    /** A schema an app writes to a topic, and the serializer that writes it. */
    public record WrittenSchema(ConfluentAvroSerializer<?> serializer, String topic, Schema schema) {

        public WrittenSchema {
            Objects.requireNonNull(serializer, "serializer");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(schema, "schema");
        }
    }

    private final List<WrittenSchema> schemas;
    private final Backoff backoff;
    private volatile boolean done;
    private volatile String lastFailure = "not tried yet";
    private volatile ScheduledExecutorService retrier;

    private SchemaWarmUp(List<WrittenSchema> schemas, Backoff backoff) {
        this.schemas = List.copyOf(schemas);
        this.backoff = backoff;
    }

    /**
     * Registers {@code schemas} now or, when the registry fails, on a thread of its own until it succeeds.
     *
     * @param retryWait wait before the first background retry, doubled for each further one up to {@code retryMaxWait}
     */
    public static SchemaWarmUp start(List<WrittenSchema> schemas, Duration retryWait, Duration retryMaxWait) {
        SchemaWarmUp warmUp = new SchemaWarmUp(schemas, new Backoff(retryWait, retryMaxWait));
        if (!warmUp.attempt()) {
            warmUp.retrier = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "schema-warm-up");
                thread.setDaemon(true);
                return thread;
            });
            warmUp.retryLater(1);
        }
        return warmUp;
    }

    /** Whether every schema is registered and its id cached in its serializer. */
    public boolean isDone() {
        return done;
    }

    /** Why the last attempt failed, while not {@link #isDone}; never a secret (registry URLs carry no credentials). */
    public String lastFailure() {
        return done ? "" : lastFailure;
    }

    /** The schemas registered at start. */
    public List<WrittenSchema> schemas() {
        return schemas;
    }

    private boolean attempt() {
        try {
            for (WrittenSchema written : schemas) {
                int id = written.serializer().prepare(written.topic(), written.schema());
                LOG.debug("Schema {} for topic '{}' has id {}", written.schema().getFullName(), written.topic(), id);
            }
            done = true;
            LOG.info("Registered the {} schemas this app writes", schemas.size());
            return true;
        } catch (RuntimeException e) {
            lastFailure = e.getMessage();
            LOG.warn("Could not register the schemas this app writes yet (not ready until then): {}", e.getMessage());
            return false;
        }
    }

    /** Schedules retry {@code retry} after its backoff; a failed one schedules the next, one that succeeds ends. */
    private void retryLater(int retry) {
        ScheduledExecutorService executor = retrier;
        try {
            executor.schedule(() -> {
                if (attempt()) {
                    executor.shutdown();
                } else {
                    retryLater(retry + 1);
                }
            }, backoff.delay(retry).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() was called: no more retries
        }
    }

    /** Stops retrying. */
    @Override
    public void close() {
        ScheduledExecutorService executor = retrier;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
