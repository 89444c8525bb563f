package io.patchbay.processor.application;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.processor.parking.DeadLetterReason;
import io.patchbay.processor.parking.ParkingGate;
import io.patchbay.processor.parking.ParkingLot;
import io.patchbay.schemas.Topics;
import io.patchbay.store.RecordPosition;
import io.patchbay.store.auth.ApiKeyRecord;

/**
 * One PostgreSQL transaction over a batch: every record, in delivery order, is let through or held by the
 * {@link ParkingLot}, then set aside (poison), answered ({@link DecidedCommands}) or applied ({@link CommandApplier});
 * what it applied is written by the {@link CommandWriter}, at the end or, under {@link Isolation}, after each command.
 * Returns the records to publish once the transaction has committed, in order.
 *
 * <p>Each record is handled inside its own span ({@link CommandTracing}), whose {@code traceparent} every record
 * published for it carries as a header, and the change event it causes in its {@code traceparent} field.
 */
final class BatchTransaction {

    private static final Logger log = LoggerFactory.getLogger(BatchTransaction.class);

    private final Handle handle;
    private final Instant now;
    private final Topics topics;
    private final ReplyRoutes replies;
    private final Isolation isolation;
    private final CommandApplier applier;
    private final CommandWriter writer;
    private final ParkingGate gate;
    private final boolean readDecided;
    private final BatchTally tally;
    private final CommandTracing tracing;
    private final Map<String, Optional<ApiKeyRecord>> keys = ActorAuthorizer.newCache();
    private final List<AppliedCommand> unwritten = new ArrayList<>();
    private final List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    private BatchContext batch = new BatchContext();

    /**
     * @param readDecided whether to read the command log before applying: without it (the fast path) a command decided
     *                    already makes the command-log insert fail, and the batch is run again with it
     * @param tally filled with what the transaction decides and sets aside, to be read once it has committed
     */
    BatchTransaction(Handle handle, Instant now, Topics topics, ReplyRoutes replies, Isolation isolation,
                     CommandApplier applier, CommandWriter writer, ParkingGate gate, boolean readDecided, BatchTally tally,
                     CommandTracing tracing) {
        this.handle = handle;
        this.now = now;
        this.topics = topics;
        this.replies = replies;
        this.isolation = isolation;
        this.applier = applier;
        this.writer = writer;
        this.gate = gate;
        this.readDecided = readDecided;
        this.tally = tally;
        this.tracing = tracing;
    }

    List<ProducerRecord<String, byte[]>> run(List<BatchRecord> records) {
        CycleTrace.mark(CycleTrace.Phase.BEGIN);
        DecidedCommands decided = DecidedCommands.load(handle, topics, replies, !readDecided ? List.of()
                : records.stream().map(BatchRecord::command).filter(Objects::nonNull).map(DecodedCommand::commandId).distinct().toList());
        ParkingLot parking = ParkingLot.load(handle, records.stream().map(BatchRecord::record).toList(), now, gate);
        CycleTrace.mark(CycleTrace.Phase.DECIDED_PARKED);
        applier.prefetch(handle, records.stream().map(BatchRecord::command)
                .filter(command -> command != null && !decided.contains(command.commandId())).toList(), keys, batch);
        for (BatchRecord record : records) {
            try (CommandTracing.Scope span = tracing.open(record.record(),
                    record.command() == null ? null : record.command().metadata())) {
                int first = out.size();
                handle(record, decided, parking, span.traceparent());
                if (span.traceparent() != null) {
                    byte[] traceparent = span.traceparent().getBytes(StandardCharsets.UTF_8);
                    for (int i = first; i < out.size(); i++) {
                        Headers headers = out.get(i).headers();
                        headers.remove(CommandTracing.HEADER);
                        headers.add(CommandTracing.HEADER, traceparent);
                    }
                }
            }
        }
        CycleTrace.mark(CycleTrace.Phase.APPLY);
        write();
        return out;
    }

    private void handle(BatchRecord record, DecidedCommands decided, ParkingLot parking, String traceparent) {
        ParkingLot.Admission admission = parking.admit(record.record());
        if (admission.deadLetter() != null) {
            tally.add(BatchTally.SetAside.PARKED_BEHIND);
            out.add(admission.deadLetter());
        } else if (record.poison() != null) {
            tally.add(BatchTally.SetAside.UNDECODABLE);
            out.add(parking.setAside(record.record(), admission.identity(), DeadLetterReason.of(record.poison())));
        } else if (decided.contains(record.command().commandId())) {
            out.addAll(decided.answer(record));
        } else {
            apply(record, admission.identity(), decided, parking, traceparent);
        }
    }

    private void apply(BatchRecord record, RecordPosition identity, DecidedCommands decided, ParkingLot parking,
                       String traceparent) {
        Isolation.Attempt<AppliedCommand> attempt = isolation.attempt(() -> {
            AppliedCommand applied = applier.apply(handle, record.command(), keys, batch, now, traceparent);
            unwritten.add(applied);
            return applied;
        }, this::write);
        if (attempt.refusal() == null) {
            tally.decided(record.command().type(), attempt.applied().result(), record.command().metadata().getReceivedAt());
            if (log.isDebugEnabled()) {
                log.debug("command {} on {} {}: {}", record.command().commandId(), record.command().type(),
                        attempt.applied().result().getResourceId(), attempt.applied().result().getStatus());
            }
            out.addAll(decided.add(attempt.applied(), record));
            return;
        }
        unwritten.clear();
        batch = new BatchContext();
        tally.add(BatchTally.SetAside.REFUSED);
        Throwable root = Failures.rootCause(attempt.refusal());
        out.add(parking.setAside(record.record(), identity, new DeadLetterReason(root.getClass().getName(),
                "PostgreSQL refused command " + record.command().commandId() + ": " + root.getMessage())));
    }

    private void write() {
        writer.write(handle, batch, unwritten);
        unwritten.clear();
    }
}
