package io.patchbay.processor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.patchbay.processor.transport.KeyFormat;
import io.patchbay.schemas.Topics;

/**
 * Every processor setting, under {@code patchbay.*}; Kafka and the database use Spring Boot's own
 * {@code spring.kafka.*} and {@code spring.datasource.*}.
 *
 * @param topicPrefix first segment of every topic name ({@code patchbay})
 * @param topicPartitions partitions of topics created at start when missing
 * @param schemaRegistryUrl Confluent-API schema registry base URL
 * @param processor settings of the command processor itself
 */
@ConfigurationProperties("patchbay")
public record ProcessorProperties(String topicPrefix, int topicPartitions, String schemaRegistryUrl, Processor processor) {

    public ProcessorProperties {
        topicPrefix = topicPrefix == null ? "patchbay" : topicPrefix;
        topicPartitions = topicPartitions <= 0 ? 3 : topicPartitions;
        processor = processor == null ? new Processor(null, 0, 0, null, null, null, 0, null) : processor;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /**
     * @param consumerGroup consumer group of all processor instances; they share partitions
     * @param concurrency consumer threads in this instance (useful up to the partition count)
     * @param maxBatch most commands applied in one database transaction ({@code max.poll.records})
     * @param publishTimeout longest wait for the broker to acknowledge a batch's events and results
     * @param retention how long decided commands stay in the command log (their dedupe window and the source of
     *     Idempotency-Key replays: keep it at least as long as the adapter's idempotency retention)
     * @param purgeInterval pause between two purges of command log entries and request records past retention
     * @param purgeBatchSize most rows one purge statement deletes (each in its own short transaction)
     * @param keyFormat how the keys of change events and results are written: plain UTF-8 strings, or Confluent-framed
     *     Avro {@code "string"} for consumers configured with an Avro key deserializer
     */
    public record Processor(String consumerGroup, int concurrency, int maxBatch, Duration publishTimeout,
                            Duration retention, Duration purgeInterval, int purgeBatchSize, KeyFormat keyFormat) {

        public Processor {
            consumerGroup = consumerGroup == null ? "patchbay-processor" : consumerGroup;
            concurrency = concurrency <= 0 ? 1 : concurrency;
            maxBatch = maxBatch <= 0 ? 500 : maxBatch;
            publishTimeout = publishTimeout == null ? Duration.ofSeconds(30) : publishTimeout;
            retention = retention == null ? Duration.ofHours(24) : retention;
            purgeInterval = purgeInterval == null ? Duration.ofMinutes(5) : purgeInterval;
            purgeBatchSize = purgeBatchSize <= 0 ? 5_000 : purgeBatchSize;
            keyFormat = keyFormat == null ? KeyFormat.STRING : keyFormat;
        }
    }
}
