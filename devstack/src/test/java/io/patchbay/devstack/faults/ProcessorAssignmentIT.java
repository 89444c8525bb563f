package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * How the processors' group spreads the commands partitions (both topics, three partitions each): a killed processor's
 * partitions go to the other once the processor's own consumer session ends, well before Kafka's default of 45 s
 * (which held them for 46-47 s); a processor joining gets half of both topics, and the one already running gives up
 * only those, keeping the others without a revocation (the cooperative, sticky assignor; Kafka's default range
 * assignor splits them 4 and 2 and revokes all six); a processor whose batch overruns its poll interval loses all it
 * owned, and counts those as lost and as given up.
 */
class ProcessorAssignmentIT {

    private static final Duration GROUP_DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    @Test
    void theOtherProcessorTakesAKilledProcessorsPartitionsWithinHalfAMinute() {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("takeover", false, false, 3, 40, 0, Map.of()));
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            stack.startProcessorWithDefaultSession("processor-a");
            AppProcess killed = stack.startProcessorWithDefaultSession("processor-b");
            Poll.until("both processors own commands partitions", GROUP_DEADLINE, POLL, () -> stable(admin, stack, 2));
            Set<TopicPartition> partitions = assigned(FaultScenarios.processorGroup(admin, stack));
            assertThat(partitions).as("both commands topics, three partitions each").hasSize(6);

            killed.kill();

            Poll.until("one processor owns every partition", Duration.ofSeconds(30), POLL, () -> stable(admin, stack, 1));
            assertThat(assigned(FaultScenarios.processorGroup(admin, stack))).isEqualTo(partitions);
        }
    }

    @Test
    void aJoiningProcessorTakesHalfOfBothTopicsAndTheFirstGivesUpOnlyThoseMoved() {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("join", false, false, 3, 10, 0, Map.of()));
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            ConfigurableApplicationContext first = stack.startInProcessProcessor();
            Poll.until("the first processor owns all six partitions", GROUP_DEADLINE, POLL,
                    () -> aloneWithAllSix(admin, stack));

            ConfigurableApplicationContext second = stack.startInProcessProcessor();
            Poll.until("both processors own commands partitions", GROUP_DEADLINE, POLL, () -> stable(admin, stack, 2));

            assertThat(revoked(first)).as("partitions the first processor gave up").isEqualTo(3);
            assertThat(revoked(second)).as("partitions the second processor gave up").isZero();
            assertThat(lost(first) + lost(second)).as("partitions lost: none, the rebalance was planned").isZero();
            ConsumerGroupDescription group = FaultScenarios.processorGroup(admin, stack);
            assertThat(assigned(group)).hasSize(6);
            assertThat(group.members()).as("partitions per member, %s", group.members())
                    .extracting(member -> member.assignment().topicPartitions().size()).containsExactly(3, 3);
        }
    }

    @Test
    void aProcessorWhoseBatchOverrunsItsPollIntervalLosesItsPartitionsAndCountsThemLost() {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("lost", false, false, 3, 10, 0, Map.of()));
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()));
             KafkaTopics kafka = new KafkaTopics(stack.broker().bootstrapServers(), stack.registryUrl(), stack.topics());
             KafkaProducer<String, Object> producer = kafka.producer()) {
            ConfigurableApplicationContext processor = stack.startInProcessProcessor(
                    Map.of("spring.kafka.consumer.properties.max.poll.interval.ms", "3000"));
            Poll.until("the processor owns all six partitions", GROUP_DEADLINE, POLL,
                    () -> aloneWithAllSix(admin, stack));
            String evaluation = stack.seeded().evaluations().get(0);
            EvaluationUpdateCommand command = TestCommands.renameEvaluation(evaluation, FaultData.TEAM, FaultData.KEY_ID,
                    "stalled behind a row lock");

            try (Handle lock = stack.jdbi().open()) {
                lock.begin();
                lock.createQuery("select id from evaluation where id = :id for update").bind("id", evaluation)
                        .mapTo(String.class).one();
                producer.send(new ProducerRecord<>(stack.topics().commands(ResourceType.EVALUATION), evaluation, command)).get();
                Poll.until("the group dropped the processor stalled on the locked row", GROUP_DEADLINE, POLL,
                        () -> membersOf(admin, stack) == 0);
                assertThat(revoked(processor) + lost(processor)).as("nothing given up while the batch still runs").isZero();
                lock.rollback();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }

            Poll.until("the processor is back with its six partitions", GROUP_DEADLINE, POLL,
                    () -> aloneWithAllSix(admin, stack));
            assertThat(revoked(processor)).as("the six partitions given up when it rejoined").isEqualTo(6);
            assertThat(lost(processor)).as("all six of them lost, not revoked in a planned rebalance").isEqualTo(6);
            Poll.until("the stalled command is decided", GROUP_DEADLINE, POLL, () -> stack.decided() > 0);
            assertThat(stack.decided()).as("the stalled command, the stack's only one, decided once").isEqualTo(1);
        }
    }

    private static int membersOf(Admin admin, FaultStack stack) {
        ConsumerGroupDescription group = FaultScenarios.processorGroup(admin, stack);
        return group == null ? -1 : group.members().size();
    }

    private static double revoked(ConfigurableApplicationContext processor) {
        return partitionsCounter(processor, "revoked");
    }

    private static double lost(ConfigurableApplicationContext processor) {
        return partitionsCounter(processor, "lost");
    }

    private static double partitionsCounter(ConfigurableApplicationContext processor, String which) {
        return processor.getBean(MeterRegistry.class).get("patchbay.partitions." + which).counter().count();
    }

    /** One processor in a stable group, owning both commands topics' six partitions. */
    private static boolean aloneWithAllSix(Admin admin, FaultStack stack) {
        return stable(admin, stack, 1) && assigned(FaultScenarios.processorGroup(admin, stack)).size() == 6;
    }

    private static boolean stable(Admin admin, FaultStack stack, int members) {
        ConsumerGroupDescription group = FaultScenarios.processorGroup(admin, stack);
        return group != null && group.groupState() == GroupState.STABLE && group.members().size() == members
                && group.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty());
    }

    private static Set<TopicPartition> assigned(ConsumerGroupDescription group) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (MemberDescription member : group.members()) {
            partitions.addAll(member.assignment().topicPartitions());
        }
        return partitions;
    }
}
