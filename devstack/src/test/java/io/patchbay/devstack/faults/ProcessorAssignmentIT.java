package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.devstack.infra.Poll;

/**
 * How the processors' group spreads the commands partitions (both topics, three partitions each): a killed processor's
 * partitions go to the other once the processor's own consumer session ends, well before Kafka's default of 45 s
 * (which held them for 46-47 s); a processor joining gets half of both topics, and the one already running gives up
 * only those, keeping the others without a revocation (the cooperative, sticky assignor; Kafka's default range
 * assignor splits them 4 and 2 and revokes all six).
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
                    () -> stable(admin, stack, 1) && assigned(FaultScenarios.processorGroup(admin, stack)).size() == 6);

            ConfigurableApplicationContext second = stack.startInProcessProcessor();
            Poll.until("both processors own commands partitions", GROUP_DEADLINE, POLL, () -> stable(admin, stack, 2));

            assertThat(revoked(first)).as("partitions the first processor gave up").isEqualTo(3);
            assertThat(revoked(second)).as("partitions the second processor gave up").isZero();
            ConsumerGroupDescription group = FaultScenarios.processorGroup(admin, stack);
            assertThat(assigned(group)).hasSize(6);
            assertThat(group.members()).as("partitions per member, %s", group.members())
                    .extracting(member -> member.assignment().topicPartitions().size()).containsExactly(3, 3);
        }
    }

    private static double revoked(ConfigurableApplicationContext processor) {
        return processor.getBean(MeterRegistry.class).get("patchbay.partitions.revoked").counter().count();
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
