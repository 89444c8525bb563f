package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.CommandLogRows;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * The processor waits for a batch's outcome acknowledgements while it applies the next batch, and commits a batch's
 * offsets only once its outcomes are acknowledged (BENCHMARKS.md, "Overlapping the acknowledgements"). Here the
 * broker's acknowledgement of one command's result is held back ({@link HeldAcknowledgements}) and then reported
 * lost: the next command is applied meanwhile, but neither its outcome is sent nor any offset committed past the first
 * command until the first batch's outcomes are sent again and acknowledged; each command is applied once.
 */
class OverlappedPublishIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String EVALUATION = "eval_f000";

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("overlapped-publish");

    private final HeldAcknowledgements held = new HeldAcknowledgements();
    private ConfigurableApplicationContext processor;
    private KafkaTopics kafka;
    private KafkaProducer<String, Object> commands;
    private Admin admin;

    @AfterEach
    void stop() {
        for (AutoCloseable open : new AutoCloseable[] {processor, commands, kafka, admin}) {
            if (open != null) {
                try {
                    open.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void aBatchWhoseOutcomesAreNotAcknowledgedHoldsBackTheNextOnesOutcomesAndEveryOffsetUntilItIsSentAgain() {
        FaultData.seed(ns.jdbi(), 1);
        kafka = new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), ns.topics());
        commands = kafka.producer();
        admin = Admin.create(Map.of("bootstrap.servers", ns.bootstrapServers()));
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        // longer than this test waits for anything: the held acknowledgement must not time out on its own
        processor = PatchbayApps.startProcessor(settings, Map.of("patchbay.processor.publish-timeout", "120s"),
                held.initializer());
        EvaluationUpdateCommand first = command("first");
        EvaluationUpdateCommand second = command("second");
        held.hold(first.getMetadata().getCommandId());

        RecordMetadata firstRecord = send(first);
        Poll.until("the broker acknowledged the first result, held back", DEADLINE,
                () -> held.holding(first.getMetadata().getCommandId()));
        RecordMetadata secondRecord = send(second);
        Poll.until("the second command is applied while the first batch's acknowledgement is outstanding", DEADLINE,
                () -> decided(second.getMetadata().getCommandId()));

        TopicPartition partition = new TopicPartition(firstRecord.topic(), firstRecord.partition());
        assertThat(secondRecord.partition()).as("one resource, one partition").isEqualTo(firstRecord.partition());
        assertThat(committed(partition)).as("no offset is committed past the unacknowledged command")
                .isLessThanOrEqualTo(firstRecord.offset());
        assertThat(statuses(first)).as("the first result is on the topic, its acknowledgement held")
                .containsExactly(CommandStatus.APPLIED);
        assertThat(statuses(second)).as("the second batch's outcomes wait for the first batch's acknowledgements").isEmpty();

        held.loseHeld(first.getMetadata().getCommandId());

        Poll.until("the processor commits past both commands", DEADLINE,
                () -> committed(partition) == secondRecord.offset() + 1);
        assertThat(statuses(first)).as("sent again after the lost acknowledgement: at least once")
                .containsExactly(CommandStatus.APPLIED, CommandStatus.APPLIED);
        assertThat(statuses(second)).containsExactly(CommandStatus.APPLIED);
        assertThat(kafka.evaluationChanges(EVALUATION)).as("change events in version order, the first one sent again")
                .extracting(EvaluationChanged::getVersion, EvaluationChanged::getCommandId)
                .containsExactly(tuple(2L, first.getMetadata().getCommandId()),
                        tuple(2L, first.getMetadata().getCommandId()),
                        tuple(3L, second.getMetadata().getCommandId()));
        assertThat(decisions(first)).as("applied once").isEqualTo(1);
        assertThat(decisions(second)).as("applied once").isEqualTo(1);
        long version = ns.jdbi().withHandle(h -> h.createQuery("select version from evaluation where id = :id")
                .bind("id", EVALUATION).mapTo(Long.class).one());
        assertThat(version).as("two versions on from the seeded one").isEqualTo(3L);
    }

    private static EvaluationUpdateCommand command(String description) {
        return TestCommands.evaluation(EVALUATION, FaultData.TEAM, FaultData.KEY_ID,
                EvaluationPatch.newBuilder().setDescription(description).build());
    }

    private RecordMetadata send(EvaluationUpdateCommand command) {
        try {
            return commands.send(new ProducerRecord<>(ns.topics().commands(ResourceType.EVALUATION), EVALUATION, command)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean decided(String commandId) {
        return CommandLogRows.of(ns.jdbi(), commandId) == 1;
    }

    private int decisions(EvaluationUpdateCommand command) {
        return CommandLogRows.of(ns.jdbi(), command.getMetadata().getCommandId());
    }

    /** The processor group's committed offset of {@code partition}, 0 when it has none. */
    private long committed(TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(ns.namespace().topicPrefix() + "-processor")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? 0 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<CommandStatus> statuses(EvaluationUpdateCommand command) {
        String commandId = command.getMetadata().getCommandId();
        return kafka.readAll(ns.topics().commandResults()).stream().filter(r -> commandId.equals(r.key()))
                .map(ConsumerRecord::value).map(value -> ((CommandResult) value).getStatus()).toList();
    }
}
