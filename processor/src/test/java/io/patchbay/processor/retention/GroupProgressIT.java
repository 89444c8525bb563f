package io.patchbay.processor.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.SharedInfrastructure;

/** A group's progress read from the real broker: committed offsets against the records written before an instant. */
class GroupProgressIT {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    private final SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("progress");
    private final String commands = ns.topicPrefix() + ".evaluations.commands";
    private final String empty = ns.topicPrefix() + ".automations.commands";
    private final String group = ns.topicPrefix() + "-processor";
    private Admin admin;

    @BeforeEach
    void threeRecordsOnPartitionZeroOneOnPartitionOne() throws Exception {
        admin = Admin.create(Map.of("bootstrap.servers", ns.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(commands, 2, (short) 1), new NewTopic(empty, 2, (short) 1))).all()
                .get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", ns.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(commands, 0, T.plusSeconds(i).toEpochMilli(), "k", "v" + i)).get();
            }
            producer.send(new ProducerRecord<>(commands, 1, T.plusMillis(500).toEpochMilli(), "k", "v")).get();
        }
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private GroupProgress progress(Admin on) {
        return new GroupProgress(on, group, List.of(commands, empty), Duration.ofSeconds(5));
    }

    private void commit(long partitionZero, long partitionOne) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(commands, 0), new OffsetAndMetadata(partitionZero),
                new TopicPartition(commands, 1), new OffsetAndMetadata(partitionOne))).all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everythingWrittenBeforeAnInstantIsConsumedWhenEachPartitionCommittedPastIt() throws Exception {
        commit(2, 1);

        assertThat(progress(admin).consumedBefore(T.plusMillis(1500))).isTrue();
        assertThat(progress(admin).consumedBefore(T.plusSeconds(2))).isTrue();
        assertThat(progress(admin).consumedBefore(T.plusSeconds(3))).as("the record written at T+2s is not committed").isFalse();
    }

    @Test
    void aGroupThatCommittedNothingHasConsumedOnlyWhatCameBeforeTheFirstRecord() {
        assertThat(progress(admin).consumedBefore(T.minusSeconds(1))).isTrue();
        assertThat(progress(admin).consumedBefore(T.plusMillis(200))).isFalse();
    }

    @Test
    void anUnreachableBrokerCountsAsNotConsumed() {
        try (Admin nowhere = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + FreePorts.find(),
                "request.timeout.ms", 1000, "default.api.timeout.ms", 2000))) {
            assertThat(new GroupProgress(nowhere, group, List.of(commands), Duration.ofSeconds(2)).consumedBefore(T.minusSeconds(1)))
                    .isFalse();
        }
    }
}
