package io.patchbay.processor.application;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.processor.parking.DeadLetters;
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
    private final CommandDecoder decoder;
    private final CommandApplier applier;
    private final CommandWriter writer;
    private final Clock clock;
    private final BatchTally.Observer observer;

    public CommandBatchProcessor(Jdbi jdbi, Topics topics, CommandDecoder decoder, Serializer<Object> serializer,
                                 List<CommandHandler> handlers, Clock clock) {
        this(jdbi, topics, decoder, serializer, handlers, clock, BatchTally.Observer.NONE);
    }

    /** As the other constructor, with {@code observer} told about each committed batch. */
    public CommandBatchProcessor(Jdbi jdbi, Topics topics, CommandDecoder decoder, Serializer<Object> serializer,
                                 List<CommandHandler> handlers, Clock clock, BatchTally.Observer observer) {
        Map<ResourceType, CommandHandler> byType = new EnumMap<>(ResourceType.class);
        handlers.forEach(handler -> byType.put(handler.type(), handler));
        this.jdbi = jdbi;
        this.topics = topics;
        this.decoder = decoder;
        this.applier = new CommandApplier(byType, new OutcomeSerializer(topics, serializer));
        this.writer = new CommandWriter(byType.values());
        this.clock = clock;
        this.observer = observer;
    }

    public List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> records) {
        List<BatchRecord> batch = records.stream().map(record -> BatchRecord.decode(decoder, record)).toList();
        BatchTally fast = new BatchTally();
        BatchTally tally = fast;
        List<ProducerRecord<String, byte[]>> out;
        try {
            out = jdbi.inTransaction(handle -> new BatchTransaction(handle, clock.instant(), topics, Isolation.none(),
                    applier, writer, fast).run(batch));
        } catch (RuntimeException e) {
            if (!Failures.isCommandSpecific(e)) {
                throw e;
            }
            log.warn("PostgreSQL refused a command of this batch of {} ({}); applying them one at a time to set it aside",
                    records.size(), Failures.rootCause(e).getMessage());
            BatchTally isolated = new BatchTally();
            out = jdbi.inTransaction(handle -> new BatchTransaction(handle, clock.instant(), topics,
                    Isolation.savepointPerCommand(handle), applier, writer, isolated).run(batch));
            tally = isolated;
        }
        observer.committed(records.size(), tally);
        return out;
    }
}
