package io.patchbay.processor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.patchbay.processor.transport.KeyFormat;

/**
 * The processor's own settings, under {@code patchbay.processor.*}; those it shares with the adapter are
 * {@link io.patchbay.schemas.config.PatchbayProperties}. Each default is the constant named in its description.
 *
 * @param consumerGroup consumer group of all processor instances; they share partitions
 *     (default {@value #DEFAULT_CONSUMER_GROUP})
 * @param concurrency consumer threads in this instance, useful up to the partition count (default {@value #DEFAULT_CONCURRENCY})
 * @param maxBatch most commands applied in one database transaction, {@code max.poll.records} (default {@value #DEFAULT_MAX_BATCH})
 * @param publishTimeout longest wait for the broker to acknowledge a batch's events and results
 *     (default {@link #DEFAULT_PUBLISH_TIMEOUT}, 30 s)
 * @param retention how long decided commands stay in the command log (their dedupe window and the source of
 *     Idempotency-Key replays: keep it at least as long as the adapter's idempotency retention)
 *     (default {@link #DEFAULT_RETENTION}, 24 h)
 * @param purgeInterval pause between two purges of command log entries and request records past retention
 *     (default {@link #DEFAULT_PURGE_INTERVAL}, 5 min)
 * @param purgeBatchSize most rows one purge statement deletes, each in its own short transaction
 *     (default {@value #DEFAULT_PURGE_BATCH_SIZE})
 * @param keyFormat how the keys of change events and results are written: plain UTF-8 strings, or Confluent-framed
 *     Avro {@code "string"} for consumers configured with an Avro key deserializer (default {@link #DEFAULT_KEY_FORMAT})
 * @param fetchMaxWait how long the broker may hold the consumer's next fetch while fewer than {@code fetchMinBytes} of
 *     commands are there, {@code fetch.max.wait.ms}: the consumer-side linger that lets a fetch sent while a batch is
 *     applied collect the commands arriving during that batch instead of only the first (default
 *     {@link #DEFAULT_FETCH_MAX_WAIT}, 20 ms; a command arriving at an idle processor waits at most this long)
 * @param fetchMinBytes bytes of commands that answer a fetch at once, {@code fetch.min.bytes}: a backlog is fetched
 *     without waiting (default {@value #DEFAULT_FETCH_MIN_BYTES}); {@code spring.kafka.consumer.fetch-min-size} and
 *     {@code fetch-max-wait} override both
 * @param databaseWait how long the processor waits at start for PostgreSQL to accept a connection before it migrates
 *     and gives up with an error (default {@link #DEFAULT_DATABASE_WAIT}, 5 min; {@code 0} does not wait)
 */
@ConfigurationProperties("patchbay.processor")
public record ProcessorProperties(String consumerGroup, int concurrency, int maxBatch, Duration publishTimeout,
                                  Duration retention, Duration purgeInterval, int purgeBatchSize,
                                  KeyFormat keyFormat, Duration fetchMaxWait, int fetchMinBytes,
                                  Duration databaseWait) {

    public static final String DEFAULT_CONSUMER_GROUP = "patchbay-processor";
    public static final int DEFAULT_CONCURRENCY = 1;
    public static final int DEFAULT_MAX_BATCH = 500;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(5);
    public static final int DEFAULT_PURGE_BATCH_SIZE = 5_000;
    public static final KeyFormat DEFAULT_KEY_FORMAT = KeyFormat.STRING;
    public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(20);
    public static final int DEFAULT_FETCH_MIN_BYTES = 64 * 1024;
    public static final Duration DEFAULT_DATABASE_WAIT = Duration.ofMinutes(5);

    public ProcessorProperties {
        consumerGroup = consumerGroup == null ? DEFAULT_CONSUMER_GROUP : consumerGroup;
        concurrency = concurrency <= 0 ? DEFAULT_CONCURRENCY : concurrency;
        maxBatch = maxBatch <= 0 ? DEFAULT_MAX_BATCH : maxBatch;
        publishTimeout = publishTimeout == null ? DEFAULT_PUBLISH_TIMEOUT : publishTimeout;
        retention = retention == null ? DEFAULT_RETENTION : retention;
        purgeInterval = purgeInterval == null ? DEFAULT_PURGE_INTERVAL : purgeInterval;
        purgeBatchSize = purgeBatchSize <= 0 ? DEFAULT_PURGE_BATCH_SIZE : purgeBatchSize;
        keyFormat = keyFormat == null ? DEFAULT_KEY_FORMAT : keyFormat;
        fetchMaxWait = fetchMaxWait == null ? DEFAULT_FETCH_MAX_WAIT : fetchMaxWait;
        fetchMinBytes = fetchMinBytes <= 0 ? DEFAULT_FETCH_MIN_BYTES : fetchMinBytes;
        databaseWait = databaseWait == null ? DEFAULT_DATABASE_WAIT : databaseWait;
    }
}
