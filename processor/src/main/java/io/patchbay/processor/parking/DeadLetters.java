package io.patchbay.processor.parking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.schemas.Topics;
import io.patchbay.store.RecordPosition;

/**
 * Builds dead letters: the original key and bytes on {@code <topic>-dlt}, same partition, with spring-kafka's
 * standard {@code kafka_dlt-*} headers for the reason and the original topic, partition and offset.
 *
 * <p>The original position is the record's identity through replays: a replayed record carries it in
 * {@value #REPLAY_OF} and, if dead-lettered again, goes back to the dead-letter topic under the same position.
 */
public final class DeadLetters {

    /** Header a replay puts on a re-submitted dead letter: {@code <topic>:<partition>:<offset>} of the original. */
    public static final String REPLAY_OF = "patchbay-replay-of";

    private DeadLetters() {
    }

    /**
     * A dead letter of {@code record} under {@code original} (the record's own position unless it is a replay),
     * with the reason's type and message as the exception class name and message headers.
     */
    public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> record, RecordPosition original,
                                                    DeadLetterReason reason) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().equals(REPLAY_OF)) {
                headers.add(header);
            }
        }
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(original.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(original.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(original.offset()).array());
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(reason.type()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(reason.message()));
        return new ProducerRecord<>(Topics.deadLetter(original.topic()), original.partition(), record.key(), record.value(),
                headers);
    }

    /** The original position a replayed record names, if it carries a well-formed {@value #REPLAY_OF} header. */
    public static Optional<RecordPosition> replayOf(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(REPLAY_OF);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split(":");
        try {
            return parts.length == 3
                    ? Optional.of(new RecordPosition(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2])))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The {@value #REPLAY_OF} value naming {@code position}. */
    public static byte[] replayHeader(RecordPosition position) {
        return utf8(position.topic() + ":" + position.partition() + ":" + position.offset());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
