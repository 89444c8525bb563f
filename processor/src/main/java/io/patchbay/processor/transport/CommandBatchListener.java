package io.patchbay.processor.transport;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;

import io.patchbay.processor.application.CommandBatchProcessor;
import io.patchbay.processor.application.CycleTrace;

/**
 * Receives each poll of the commands topics as one batch: apply in one transaction, publish, and commit the offsets
 * only once the outcomes are acknowledged. The wait for those acknowledgements overlaps the next batch's transaction
 * ({@link OutcomePipeline}). Any failure retries the whole batch, which the command log makes safe.
 */
public class CommandBatchListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchListener.class);

    /** The listener container's id. */
    public static final String ID = "patchbay-commands";

    private final CommandBatchProcessor processor;
    private final OutcomePipeline pipeline;
    private final IntConsumer revoked;

    /** {@code revoked} is told how many partitions each revocation (or loss) took from this consumer. */
    public CommandBatchListener(CommandBatchProcessor processor, OutcomePipeline pipeline, IntConsumer revoked) {
        this.processor = processor;
        this.pipeline = pipeline;
        this.revoked = revoked;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        processor.assignmentChanged(assignments.keySet());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        processor.assignmentChanged(partitions);
        revoked.accept(partitions.size());
    }

    /** The container found no records for a while: the batch in flight need not wait for the next one. */
    @Override
    public void onIdleContainer(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        pipeline.idle();
    }

    @KafkaListener(id = ID, idIsGroup = false, containerFactory = "commandContainerFactory", batch = "true",
            topics = {"#{@topics.commands(T(io.patchbay.schemas.ResourceType).EVALUATION)}",
                      "#{@topics.commands(T(io.patchbay.schemas.ResourceType).AUTOMATION)}"})
    public void onBatch(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        if (CycleTrace.ON) {
            CycleTrace.begin(records.size(), records.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(0));
        }
        try {
            pipeline.beforeBatch();
            pipeline.afterCommit(consumer, records, processor.process(records));
            CycleTrace.mark(CycleTrace.Phase.PUBLISH);
            CycleTrace.end();
        } catch (RuntimeException e) {
            Throwable root = io.patchbay.processor.application.Failures.rootCause(e);
            log.warn("batch of {} command record(s) failed and is retried with back-off: {}{}", records.size(), e,
                    root == e ? "" : " (cause: " + root + ")");
            log.debug("batch failure", e);
            throw e;
        }
    }
}
