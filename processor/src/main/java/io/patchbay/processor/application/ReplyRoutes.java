package io.patchbay.processor.application;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.schemas.Topics;

/**
 * Where a command's result goes, request–reply in the way of spring-kafka's {@code ReplyingKafkaTemplate}: to the
 * partition of the replies topic that the command record names ({@code kafka_replyTopic},
 * {@code kafka_replyPartition}), with its {@code kafka_correlationId} echoed, so that each adapter instance reads only
 * the outcomes of its own requests. A record naming no reply destination (a producer writing to Kafka directly), or
 * one the processor does not honour (another topic, a partition that does not exist), is answered on the results
 * topic: the processor never trusts the command topic, and a result must never land on a topic it does not belong to.
 */
public final class ReplyRoutes {

    private final Topics topics;
    private final ToIntFunction<String> partitionCount;

    /** @param partitionCount the partitions of a topic (the outcome producer's metadata); 0 where none may be used */
    public ReplyRoutes(Topics topics, ToIntFunction<String> partitionCount) {
        this.topics = topics;
        this.partitionCount = partitionCount;
    }

    /** Every result on the results topic, whatever the command names (processors assembled without a producer). */
    public static ReplyRoutes resultsTopicOnly(Topics topics) {
        return new ReplyRoutes(topics, topic -> 0);
    }

    /** The record of {@code command}'s result: the serialized {@code result}, keyed by command id. */
    ProducerRecord<String, byte[]> result(ConsumerRecord<String, byte[]> command, String commandId, byte[] result) {
        Header topic = command.headers().lastHeader(KafkaHeaders.REPLY_TOPIC);
        Header partition = command.headers().lastHeader(KafkaHeaders.REPLY_PARTITION);
        if (topic == null || partition == null || partition.value() == null || partition.value().length != Integer.BYTES
                || !topics.commandReplies().equals(new String(topic.value(), StandardCharsets.UTF_8))) {
            return new ProducerRecord<>(topics.commandResults(), commandId, result);
        }
        int replyPartition = ByteBuffer.wrap(partition.value()).getInt();
        if (replyPartition < 0 || replyPartition >= partitionCount.applyAsInt(topics.commandReplies())) {
            return new ProducerRecord<>(topics.commandResults(), commandId, result);
        }
        ProducerRecord<String, byte[]> reply = new ProducerRecord<>(topics.commandReplies(), replyPartition, commandId, result);
        Header correlation = command.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        if (correlation != null) {
            reply.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
        }
        return reply;
    }
}
