package io.patchbay.processor.transport;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Overlaps the wait for one batch's outcome acknowledgements with the next batch's database work, and commits a
 * batch's offsets only once its transaction has committed and the broker has acknowledged all its outcomes.
 *
 * <p>At most one batch is in flight per consumer thread. Before the next batch's outcomes are sent, the batch in
 * flight is settled: its acknowledgements are awaited (they have usually arrived while the next transaction ran), its
 * records are sent again if the broker refused one or did not answer within the publish timeout (a failure of that
 * throws, and the container retries the batch at hand, settling first again), and only then are its offsets committed.
 * So outcomes are sent in batch order (per-partition order of change events holds) and offsets are committed in batch
 * order, never past a record whose outcomes are not acknowledged. A batch in flight is never dropped: after a crash
 * its commands are redelivered from the last committed offset, and the command log republishes their outcomes.
 *
 * <p>A batch in flight is also settled when the container is idle ({@link #idle}, so its offsets do not wait for
 * traffic) and when partitions are revoked (before the container's own commit, so its offsets are committed by the
 * generation that owned them; if that fails they stay uncommitted and the next owner gets the commands again). Offsets
 * are committed only for partitions still assigned. Every method runs on the consumer's own thread: the listener, the
 * container's idle check and its rebalance callbacks all do.
 *
 * <p>While a cooperative rebalance is in progress the partitions kept are processed on, but the broker refuses their
 * asynchronous commits (a second processor joining one under load refused about forty in a second). The next commit
 * on each such partition carries its offset further (one that gets no more records is redelivered from the older
 * offset after a restart, which the command log answers, as after any lost commit), so the refusal is logged at DEBUG
 * only, any other failure at WARN.
 */
public final class OutcomePipeline implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(OutcomePipeline.class);

    private final OutcomePublisher publisher;
    private final Duration commitTimeout;
    private final IntConsumer partitionsLost;
    private final ThreadLocal<ConsumerState> state = ThreadLocal.withInitial(ConsumerState::new);

    /**
     * Publishes with {@code publisher}; a synchronous commit (at revocation) waits at most {@code commitTimeout};
     * {@code partitionsLost} is told how many partitions each loss took from a consumer.
     */
    public OutcomePipeline(OutcomePublisher publisher, Duration commitTimeout, IntConsumer partitionsLost) {
        this.publisher = publisher;
        this.commitTimeout = commitTimeout;
        this.partitionsLost = partitionsLost;
    }

    /** A batch's outcomes, sent and not yet settled, and the offsets to commit once they are acknowledged. */
    private record InFlight(Consumer<?, ?> consumer, OutcomePublisher.Sent sent, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /** What one consumer thread keeps between calls: its batch in flight, and whether its partitions were just lost. */
    private static final class ConsumerState {
        private InFlight inFlight;
        private boolean lost;
    }

    /** Before a batch's database work: settles the batch in flight if the broker has answered it already. */
    public void beforeBatch() {
        InFlight pending = state.get().inFlight;
        if (pending != null && pending.sent().due()) {
            settle(pending, false);
        }
    }

    /**
     * After the transaction of {@code records} committed: settles the batch in flight (waiting for its
     * acknowledgements), then sends {@code outcomes} without waiting; they are settled before the next batch's.
     *
     * @throws KafkaException when the batch in flight could not be published; {@code outcomes} are not sent then
     */
    public void afterCommit(Consumer<?, ?> consumer, List<ConsumerRecord<String, byte[]>> records,
                            List<ProducerRecord<String, byte[]>> outcomes) {
        InFlight pending = state.get().inFlight;
        if (pending != null) {
            settle(pending, false);
        }
        state.get().inFlight = new InFlight(consumer, publisher.send(outcomes), nextOffsets(records));
    }

    /** The container is idle: settles the batch in flight once it is answered, so its offsets do not wait for traffic. */
    public void idle() {
        InFlight pending = state.get().inFlight;
        if (pending != null && pending.sent().due()) {
            try {
                settle(pending, false);
            } catch (RuntimeException e) {
                log.warn("the outcomes of the batch in flight are still not acknowledged ({}); sent again at the next"
                        + " batch or idle check", e.toString());
            }
        }
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        ConsumerState current = state.get();
        if (current.lost) {
            current.lost = false;
            return;
        }
        InFlight pending = current.inFlight;
        if (pending != null) {
            try {
                settle(pending, true);
            } catch (RuntimeException e) {
                log.warn("the batch in flight was not settled before {} were revoked ({}); its offsets stay uncommitted"
                        + " and its commands are redelivered to their next owner", partitions, e.toString());
            }
        }
    }

    /**
     * Lost partitions belong to another member already: nothing is committed for them (the container calls the
     * revocation path next, which this skips once); the batch in flight stays and is settled later, and its offsets
     * committed only for partitions assigned again.
     */
    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        state.get().lost = true;
        partitionsLost.accept(partitions.size());
    }

    private void settle(InFlight pending, boolean sync) {
        try {
            publisher.await(pending.sent());
        } catch (KafkaException e) {
            log.warn("the outcomes of a batch were not acknowledged ({}); sending its {} record(s) again", e.toString(),
                    pending.sent().records().size());
            publisher.publish(pending.sent().records());
        }
        state.get().inFlight = null;
        commit(pending, sync);
    }

    private void commit(InFlight pending, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(pending.offsets());
        offsets.keySet().retainAll(pending.consumer().assignment());
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            pending.consumer().commitSync(offsets, commitTimeout);
        } else {
            pending.consumer().commitAsync(offsets, (committed, error) -> {
                if (error instanceof RebalanceInProgressException) {
                    log.debug("committing offsets {} waits for the next batch: a rebalance is in progress", committed);
                } else if (error != null) {
                    // the commands are redelivered after a restart or rebalance, and the command log answers them
                    log.warn("committing offsets {} failed: {}", committed, error.toString());
                }
            });
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }
}
