package io.patchbay.testing.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Records of one commands-topic partition as a consumer would receive them, offsets counting up from 0: commands in
 * the Confluent wire format, or any bytes (poison). For tests that hand a batch to the processor directly, as
 * Debezium's {@code SinkRecordFactory} hands records to its sink.
 */
public final class CommandRecords {

    private final String topic;
    private final int partition;
    private final Serializer<Object> serializer;
    private long nextOffset;

    public CommandRecords(String topic, int partition, Serializer<Object> serializer) {
        this.topic = topic;
        this.partition = partition;
        this.serializer = serializer;
    }

    /** {@code command} serialized, keyed by {@code key} (the resource id, as producers key commands). */
    public ConsumerRecord<String, byte[]> command(String key, SpecificRecord command) {
        return record(key, serializer.serialize(topic, command), new RecordHeaders());
    }

    /** A record whose value is not in the wire format at all. */
    public ConsumerRecord<String, byte[]> garbage(String key) {
        return record(key, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
    }

    /**
     * Takes the next offset without making a record: the position of a record another consumer received before
     * (one parked by a partition's previous owner, say).
     */
    public long skipOffset() {
        return nextOffset++;
    }

    /** The next record: {@code value} under {@code key} with {@code headers}, at the next offset. */
    public ConsumerRecord<String, byte[]> record(String key, byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, partition, nextOffset++, System.currentTimeMillis(), TimestampType.CREATE_TIME,
                -1, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }
}
