package io.patchbay.processor.application;

import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.processor.parking.DeadLetters;
import io.patchbay.processor.parking.ParkingGate;
import io.patchbay.processor.parking.ParkingLot;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * Applies one poll's commands in one PostgreSQL transaction and returns, in order, the records to publish
 * once it has committed: change events, command results and dead letters.
 *
 * <p>Each command id is decided once. Its outcome and change event are stored, in the serialized form that
 * is published, in the same transaction as the change ({@link DecidedCommands}). A redelivered record (after a crash
 * or a rebalance) re-publishes the identical bytes instead of applying again; the same command id sent again in
 * another record (a producer retry) is answered with its stored result only, so the change stream gets no copy.
 *
 * <p>The batch's rows are read ahead in a few set-based queries (locked in id order, so overlapping batches of
 * concurrent consumers cannot deadlock), its commands then apply in order to that state ({@link BatchContext}),
 * and their changes are written in order, in one JDBC batch per type, before the logs ({@link CommandWriter}); every
 * command still gets its own version, change event and command-log row.
 *
 * <p>Poison never blocks a partition and never overtakes: a record that cannot be decoded, or that PostgreSQL
 * refuses ({@link Failures}), goes to the dead-letter topic and parks its record key; later records with a
 * parked key follow it there ("parked behind") until a replay ({@link DeadLetters#REPLAY_OF}) brings them
 * back in their original order ({@link ParkingLot}). A batch that fails on a refused command is applied again one
 * command at a time, each under a savepoint ({@link Isolation}), to set that command aside; the fast path pays
 * nothing for this.
 */
public final class CommandBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchProcessor.class);

    private final Jdbi jdbi;
    private final Topics topics;
    private final ReplyRoutes replies;
    private final CommandDecoder decoder;
    private final CommandApplier applier;
    private final CommandWriter writer;
    private final Clock clock;
    private final ParkingGate parkingGate = new ParkingGate();
    private final BatchTally.Observer observer;
    private final CommandTracing tracing;

    /** A processor that answers every command on the results topic, whatever reply destination it names. */
    public CommandBatchProcessor(Jdbi jdbi, Topics topics, CommandDecoder decoder, Serializer<Object> serializer,
                                 List<CommandHandler> handlers, Clock clock) {
        this(jdbi, topics, ReplyRoutes.resultsTopicOnly(topics), decoder, serializer, handlers, clock);
    }

    public CommandBatchProcessor(Jdbi jdbi, Topics topics, ReplyRoutes replies, CommandDecoder decoder,
                                 Serializer<Object> serializer, List<CommandHandler> handlers, Clock clock) {
        this(jdbi, topics, replies, decoder, serializer, handlers, clock, BatchTally.Observer.NONE);
    }

    /** As the other constructors, with {@code observer} told about each batch once its transaction has committed. */
    public CommandBatchProcessor(Jdbi jdbi, Topics topics, ReplyRoutes replies, CommandDecoder decoder,
                                 Serializer<Object> serializer, List<CommandHandler> handlers, Clock clock,
                                 BatchTally.Observer observer) {
        this(jdbi, topics, replies, decoder, serializer, handlers, clock, observer, CommandTracing.NONE);
    }

    /** As the other constructors, with a span per command record ({@link CommandTracing}). */
    public CommandBatchProcessor(Jdbi jdbi, Topics topics, ReplyRoutes replies, CommandDecoder decoder,
                                 Serializer<Object> serializer, List<CommandHandler> handlers, Clock clock,
                                 BatchTally.Observer observer, CommandTracing tracing) {
        Map<ResourceType, CommandHandler> byType = new EnumMap<>(ResourceType.class);
        handlers.forEach(handler -> byType.put(handler.type(), handler));
        this.jdbi = jdbi;
        this.topics = topics;
        this.replies = replies;
        this.decoder = decoder;
        this.applier = new CommandApplier(byType, new OutcomeSerializer(topics, serializer, new WriterSchemaRecorder(jdbi)));
        this.writer = new CommandWriter(byType.values());
        this.clock = clock;
        this.observer = observer;
        this.tracing = tracing;
    }

    /**
     * Applies {@code records}. The fast path reads nothing but what the commands need: no command-log lookup (a
     * command decided already, after a redelivery, makes the command-log insert fail, and the batch runs again with
     * the lookup) and no parked-record lookup for partitions known to have none ({@link ParkingGate}).
     */
    public List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> records) {
        List<BatchRecord> batch = records.stream().map(record -> BatchRecord.decode(decoder, record)).toList();
        CycleTrace.mark(CycleTrace.Phase.DECODE);
        try {
            return run(batch, Isolation.none(), false);
        } catch (RuntimeException e) {
            parkingGate.forgetPartitionsOf(records);
            if (Failures.isAlreadyDecided(e)) {
                log.info("a command of this batch of {} was decided before (a redelivery or a resent command); applying the"
                        + " batch again with the command log read first", records.size());
                return withDecidedRead(batch);
            }
            if (!Failures.isCommandSpecific(e)) {
                throw e;
            }
            return isolated(batch, e);
        }
    }

    /** The assignment of {@code partitions} changed: what was known about their parked records no longer holds. */
    public void assignmentChanged(Collection<TopicPartition> partitions) {
        parkingGate.forget(partitions);
    }

    private List<ProducerRecord<String, byte[]>> withDecidedRead(List<BatchRecord> batch) {
        try {
            return run(batch, Isolation.none(), true);
        } catch (RuntimeException e) {
            parkingGate.forgetPartitionsOf(batch.stream().map(BatchRecord::record).toList());
            if (!Failures.isCommandSpecific(e)) {
                throw e;
            }
            return isolated(batch, e);
        }
    }

    private List<ProducerRecord<String, byte[]>> isolated(List<BatchRecord> batch, RuntimeException refusal) {
        log.warn("PostgreSQL refused a command of this batch of {} ({}); applying them one at a time to set it aside",
                batch.size(), Failures.rootCause(refusal).getMessage());
        BatchTally tally = new BatchTally();
        try {
            return committed(batch, tally, jdbi.inTransaction(handle -> new BatchTransaction(handle, clock.instant(), topics,
                    replies, Isolation.savepointPerCommand(handle), applier, writer, parkingGate, true, tally, tracing).run(batch)));
        } catch (RuntimeException e) {
            parkingGate.forgetPartitionsOf(batch.stream().map(BatchRecord::record).toList());
            throw e;
        }
    }

    private List<ProducerRecord<String, byte[]>> run(List<BatchRecord> batch, Isolation isolation, boolean readDecided) {
        BatchTally tally = new BatchTally();
        return committed(batch, tally, jdbi.inTransaction(handle -> new BatchTransaction(handle, clock.instant(), topics,
                replies, isolation, applier, writer, parkingGate, readDecided, tally, tracing).run(batch)));
    }

    /** Tells the observer what the committed transaction decided; a failed attempt's tally is never seen. */
    private List<ProducerRecord<String, byte[]>> committed(List<BatchRecord> batch, BatchTally tally,
                                                           List<ProducerRecord<String, byte[]>> out) {
        CycleTrace.mark(CycleTrace.Phase.COMMIT);
        observer.committed(batch.size(), tally);
        return out;
    }
}
