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

import io.patchbay.devstack.infra.Poll;

/**
 * A processor killed with SIGKILL stops heartbeating; the other processor of its group must take its partitions once
 * the processor's own consumer session ends, well before Kafka's default of 45 s (which held a killed processor's
 * commands for 46-47 s).
 */
class ProcessorTakeoverIT {

    @Test
    void theOtherProcessorTakesAKilledProcessorsPartitionsWithinHalfAMinute() {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("takeover", false, false, 3, 40, 0, Map.of()));
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            stack.startProcessorWithDefaultSession("processor-a");
            AppProcess killed = stack.startProcessorWithDefaultSession("processor-b");
            Poll.until("both processors own commands partitions", Duration.ofSeconds(60), Duration.ofMillis(200),
                    () -> stable(admin, stack, 2));
            Set<TopicPartition> partitions = assigned(FaultScenarios.processorGroup(admin, stack));
            assertThat(partitions).as("both commands topics, three partitions each").hasSize(6);

            killed.kill();

            Poll.until("one processor owns every partition", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> stable(admin, stack, 1));
            assertThat(assigned(FaultScenarios.processorGroup(admin, stack))).isEqualTo(partitions);
        }
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
