package io.patchbay.processor.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.schemas.Topics;

/** Results go where the command asks, if patchbay's replies topic has that partition; otherwise to the results topic. */
class ReplyRoutesTest {

    private static final Topics TOPICS = new Topics("t");
    private static final byte[] RESULT = {0, 1, 2};
    private final ReplyRoutes routes = new ReplyRoutes(TOPICS, topic -> topic.equals(TOPICS.commandReplies()) ? 4 : 0);

    @Test
    void aResultGoesToTheNamedPartitionOfTheRepliesTopicWithItsCorrelationIdEchoed() {
        ProducerRecord<String, byte[]> reply = routes.result(command(TOPICS.commandReplies(), 3, "c1"), "c1", RESULT);

        assertThat(reply.topic()).isEqualTo(TOPICS.commandReplies());
        assertThat(reply.partition()).isEqualTo(3);
        assertThat(reply.key()).isEqualTo("c1");
        assertThat(reply.value()).isEqualTo(RESULT);
        assertThat(reply.headers().lastHeader(KafkaHeaders.CORRELATION_ID).value()).isEqualTo("c1".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandNamingNoReplyDestinationIsAnsweredOnTheResultsTopic() {
        ProducerRecord<String, byte[]> result = routes.result(new ConsumerRecord<>("cmds", 0, 0, "k", new byte[0]), "c1", RESULT);

        assertThat(result.topic()).isEqualTo(TOPICS.commandResults());
        assertThat(result.partition()).isNull();
    }

    @Test
    void anUntrustedReplyDestinationIsIgnored() {
        for (ConsumerRecord<String, byte[]> untrusted : new ConsumerRecord[] {
                command(TOPICS.changes(io.patchbay.schemas.ResourceType.EVALUATION), 0, "c1"),
                command(TOPICS.commandReplies(), 4, "c1"),
                command(TOPICS.commandReplies(), -1, "c1")}) {
            assertThat(routes.result(untrusted, "c1", RESULT).topic()).isEqualTo(TOPICS.commandResults());
        }
        assertThat(ReplyRoutes.resultsTopicOnly(TOPICS).result(command(TOPICS.commandReplies(), 0, "c1"), "c1", RESULT)
                .topic()).isEqualTo(TOPICS.commandResults());
    }

    private static ConsumerRecord<String, byte[]> command(String replyTopic, int replyPartition, String correlationId) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("cmds", 0, 0, "k", new byte[0]);
        record.headers().add(KafkaHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaHeaders.REPLY_PARTITION, ByteBuffer.allocate(4).putInt(replyPartition).array());
        record.headers().add(KafkaHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
