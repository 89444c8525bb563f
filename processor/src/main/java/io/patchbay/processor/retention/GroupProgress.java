package io.patchbay.processor.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConsumedHorizon} of a consumer group, read from the brokers: for every partition of the commands
 * topics, the group's committed offset must be at or past the first record written at or after the instant (or
 * at the end, when there is none). Anything it cannot read (a broker down, a topic missing) counts as not consumed.
 */
public final class GroupProgress implements ConsumedHorizon {

    private static final Logger log = LoggerFactory.getLogger(GroupProgress.class);

    private final Admin admin;
    private final String group;
    private final List<String> topics;
    private final Duration timeout;

    public GroupProgress(Admin admin, String group, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    @Override
    public boolean consumedBefore(Instant instant) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> description.partitions()
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            Map<TopicPartition, ListOffsetsResultInfo> firstAtOrAfter = offsets(partitions,
                    p -> OffsetSpec.forTimestamp(instant.toEpochMilli()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, p -> OffsetSpec.latest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (TopicPartition partition : partitions) {
                ListOffsetsResultInfo first = firstAtOrAfter.get(partition);
                long needed = first != null && first.offset() >= 0 ? first.offset() : ends.get(partition).offset();
                OffsetAndMetadata at = committed.get(partition);
                if ((at == null ? 0 : at.offset()) < needed) {
                    log.info("retention: {} of group {} has not committed past {} (records written before {})", partition,
                            group, needed, instant);
                    return false;
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("retention: cannot read the progress of group {}: {}", group, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions,
                                                               Function<TopicPartition, OffsetSpec> spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, spec)))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
