package io.patchbay.processor.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;
import io.patchbay.store.commandlog.CommandLogEntry.RecordPosition;
import io.patchbay.store.parking.ParkedRecord;
import io.patchbay.store.parking.ParkedRecords;

/**
 * Applies one poll's commands in one PostgreSQL transaction and returns, in order, the records to publish
 * once it has committed: change events, command results and dead letters.
 *
 * <p>Each command id is decided once. Its outcome and change event are stored, in the serialized form that
 * is published, in the same transaction as the change. A redelivered record (after a crash or a rebalance)
 * re-publishes the identical bytes instead of applying again; the same command id sent again in another
 * record (a producer retry) is answered with its stored result only, so the change stream gets no copy.
 *
 * <p>The batch's rows are read ahead in a few set-based queries (locked in id order, so overlapping batches of
 * concurrent consumers cannot deadlock), its commands then apply in order to that state ({@link BatchContext}),
 * and their changes are written in order, in one JDBC batch per type, before the logs; every command still gets its
 * own version, change event and command-log row.
 *
 * <p>Poison never blocks a partition and never overtakes: a record that cannot be decoded, or that PostgreSQL
 * refuses ({@link Failures}), goes to the dead-letter topic and parks its record key; later records with a
 * parked key follow it there ("parked behind") until a replay ({@link DeadLetters#REPLAY_OF}) brings them
 * back in their original order. A batch that fails on a refused command is applied again one command at a
 * time, each under a savepoint, to set that command aside; the fast path pays nothing for this.
 */
public final class CommandBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchProcessor.class);
    private static final Comparator<RecordPosition> IN_PARTITION_ORDER =
            Comparator.comparingInt(RecordPosition::partition).thenComparingLong(RecordPosition::offset);

    private final Jdbi jdbi;
    private final Topics topics;
    private final CommandDecoder decoder;
    private final Serializer<Object> serializer;
    private final Map<ResourceType, CommandHandler> handlers = new HashMap<>();
    private final ActorAuthorizer authorizer = new ActorAuthorizer();
    private final CommandLog commandLog = new CommandLog();
    private final ChangeLog changeLog = new ChangeLog();
    private final ParkedRecords parkedRecords = new ParkedRecords();
    private final Clock clock;

    public CommandBatchProcessor(Jdbi jdbi, Topics topics, CommandDecoder decoder, Serializer<Object> serializer,
                                 List<CommandHandler> handlers, Clock clock) {
        this.jdbi = jdbi;
        this.topics = topics;
        this.decoder = decoder;
        this.serializer = serializer;
        this.clock = clock;
        handlers.forEach(handler -> this.handlers.put(handler.type(), handler));
    }

    public List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> records) {
        List<Item> items = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                items.add(new Item(record, decoder.decode(record), null));
            } catch (CommandDecoder.PoisonCommandException e) {
                items.add(new Item(record, null, e));
            }
        }
        try {
            return jdbi.inTransaction(handle -> new Run(handle, false).applyAll(items));
        } catch (RuntimeException e) {
            if (!Failures.isCommandSpecific(e)) {
                throw e;
            }
            log.warn("PostgreSQL refused a command of this batch of {} ({}); applying them one at a time to set it aside",
                    records.size(), Failures.rootCause(e).getMessage());
            return jdbi.inTransaction(handle -> new Run(handle, true).applyAll(items));
        }
    }

    /** A record of the batch: decoded, or the reason it cannot be. */
    private record Item(ConsumerRecord<String, byte[]> record, DecodedCommand command, RuntimeException poison) {

        RecordPosition position() {
            return new RecordPosition(record.topic(), record.partition(), record.offset());
        }
    }

    private record TopicKey(String topic, String key) {
    }

    /** What applying one command wrote: its command-log entry, its change and the events to publish. */
    private record Applied(CommandLogEntry entry, ChangeLogEntry change, List<ProducerRecord<String, byte[]>> events) {
    }

    /** One transaction over the batch. */
    private final class Run {

        private final Handle handle;
        private final boolean isolated;
        private final Instant now = clock.instant();
        private final Map<String, Optional<ApiKeyRecord>> keys = ActorAuthorizer.newCache();
        private final List<CommandLogEntry> logEntries = new ArrayList<>();
        private final List<ChangeLogEntry> changes = new ArrayList<>();
        private final List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        private Map<String, CommandLogEntry> decided;
        private Map<String, List<ProducerRecord<String, byte[]>>> events;
        private Map<TopicKey, NavigableMap<RecordPosition, ParkedRecord>> parked;
        private BatchContext batch = new BatchContext();
        private int savepoints;

        Run(Handle handle, boolean isolated) {
            this.handle = handle;
            this.isolated = isolated;
        }

        List<ProducerRecord<String, byte[]>> applyAll(List<Item> items) {
            List<String> ids = items.stream().filter(i -> i.command() != null).map(i -> i.command().commandId())
                    .distinct().toList();
            decided = new HashMap<>(commandLog.findAll(handle, ids));
            events = storedEvents(handle, decided.keySet());
            parked = loadParked(items);
            prefetch(items);
            for (Item item : items) {
                route(item);
            }
            flush();
            changeLog.insertAll(handle, changes);
            commandLog.insertAll(handle, logEntries);
            return out;
        }

        /** Parking comes first: a replay of the first parked record is released, anything else with a parked key follows. */
        private void route(Item item) {
            RecordPosition self = item.position();
            NavigableMap<RecordPosition, ParkedRecord> keyParked = item.record().key() == null
                    ? new TreeMap<>(IN_PARTITION_ORDER)
                    : parked.computeIfAbsent(new TopicKey(self.topic(), item.record().key()),
                            k -> new TreeMap<>(IN_PARTITION_ORDER));
            Optional<RecordPosition> replayOf = DeadLetters.replayOf(item.record())
                    .filter(original -> original.topic().equals(self.topic()) && keyParked.containsKey(original));
            if (replayOf.isPresent()) {
                RecordPosition original = replayOf.get();
                if (!keyParked.firstKey().equals(original)) {
                    ParkedRecord row = keyParked.get(original);
                    log.info("replay of {} stays parked: {} is still parked before it", describe(original),
                            describe(keyParked.firstKey()));
                    out.add(DeadLetters.of(item.record(), original, row.reasonClass(), row.reason()));
                    return;
                }
                keyParked.remove(original);
                parkedRecords.delete(handle, original);
                log.info("replay of {} released from parking", describe(original));
                decide(item, original, keyParked);
                return;
            }
            if (!keyParked.isEmpty()) {
                ParkedRecord row = keyParked.get(self);
                if (row == null) {
                    ParkedRecord first = keyParked.firstEntry().getValue();
                    row = park(new ParkedRecord(self, item.record().key(), ParkedBehindException.class.getName(),
                            "parked behind " + describe(first.position()) + " (same key), dead-lettered earlier"
                                    + (first.reasonClass().equals(ParkedBehindException.class.getName()) ? ""
                                    : ": " + first.reason()), now), keyParked);
                }
                out.add(DeadLetters.of(item.record(), self, row.reasonClass(), row.reason()));
                return;
            }
            decide(item, self, keyParked);
        }

        /** Applies, answers from the command log, or dead-letters one record that nothing parks. */
        private void decide(Item item, RecordPosition identity, NavigableMap<RecordPosition, ParkedRecord> keyParked) {
            if (item.poison() != null) {
                deadLetter(item, identity, item.poison().getClass().getName(), item.poison().getMessage(), keyParked);
                return;
            }
            DecodedCommand command = item.command();
            CommandLogEntry entry = decided.get(command.commandId());
            if (entry == null) {
                Applied applied;
                if (isolated) {
                    String savepoint = "command_" + (++savepoints);
                    handle.savepoint(savepoint);
                    try {
                        applied = apply(command);
                        flush();
                        changeLog.insertAll(handle, applied.change() == null ? List.of() : List.of(applied.change()));
                        commandLog.insertAll(handle, List.of(applied.entry()));
                        handle.releaseSavepoint(savepoint);
                    } catch (RuntimeException e) {
                        if (!Failures.isCommandSpecific(e)) {
                            throw e;
                        }
                        handle.rollbackToSavepoint(savepoint);
                        batch = new BatchContext();
                        Throwable root = Failures.rootCause(e);
                        deadLetter(item, identity, root.getClass().getName(), "PostgreSQL refused command "
                                + command.commandId() + ": " + root.getMessage(), keyParked);
                        return;
                    }
                } else {
                    applied = apply(command);
                    logEntries.add(applied.entry());
                    if (applied.change() != null) {
                        changes.add(applied.change());
                    }
                }
                entry = applied.entry();
                decided.put(entry.commandId(), entry);
                events.put(entry.commandId(), applied.events());
                out.addAll(applied.events());
            } else if (entry.source().equals(item.position())) {
                log.info("command {} redelivered; re-publishing its stored outcome", command.commandId());
                out.addAll(events.getOrDefault(entry.commandId(), List.of()));
            } else {
                log.info("command {} was sent again; answering with its stored result only", command.commandId());
            }
            out.add(new ProducerRecord<>(topics.commandResults(), entry.commandId(), entry.result()));
        }

        private void deadLetter(Item item, RecordPosition identity, String reasonClass, String reason,
                                NavigableMap<RecordPosition, ParkedRecord> keyParked) {
            log.warn("dead-lettering {} (delivered as {}): {}", describe(identity), describe(item.position()), reason);
            if (item.record().key() != null) {
                park(new ParkedRecord(identity, item.record().key(), reasonClass, reason, now), keyParked);
            }
            out.add(DeadLetters.of(item.record(), identity, reasonClass, reason));
        }

        private ParkedRecord park(ParkedRecord row, NavigableMap<RecordPosition, ParkedRecord> keyParked) {
            parkedRecords.insert(handle, row);
            keyParked.put(row.position(), row);
            return row;
        }

        private Applied apply(DecodedCommand command) {
            ActorAuthorizer.Verdict verdict = authorizer.authorize(handle, command.metadata(), keys, now);
            Outcome outcome = verdict.refusal() != null
                    ? new Outcome(Results.rejected(command.metadata(), List.of(verdict.refusal()), now), null)
                    : handlers.get(command.type()).handle(handle, command, verdict.role(), batch, now);
            CommandResult result = outcome.result();
            ChangeLogEntry change = null;
            List<ProducerRecord<String, byte[]>> published = List.of();
            if (outcome.changeEvent() != null) {
                String topic = topics.changes(command.type());
                byte[] event = serializer.serialize(topic, outcome.changeEvent());
                change = new ChangeLogEntry(command.type().name(), result.getResourceId(), result.getVersion(),
                        eventId(outcome.changeEvent()), command.commandId(), command.metadata().getTeamId(), now, event);
                published = List.of(new ProducerRecord<>(topic, result.getResourceId(), event));
            }
            CommandLogEntry entry = new CommandLogEntry(command.commandId(), command.type().name(), result.getResourceId(),
                    command.metadata().getTeamId(), result.getStatus().name(), command.metadata().getRequestId(),
                    result.getVersion(), serializer.serialize(topics.commandResults(), result), positionOf(command),
                    command.metadata().getReceivedAt(), now);
            return new Applied(entry, change, published);
        }

        /**
         * Reads ahead, in a few set-based queries instead of several per command, what the batch's undecided
         * commands need: their actors' API keys and, per resource type, their rows (locked).
         */
        private void prefetch(List<Item> items) {
            Map<ResourceType, List<DecodedCommand>> byType = new EnumMap<>(ResourceType.class);
            Set<String> actors = new LinkedHashSet<>();
            for (Item item : items) {
                DecodedCommand command = item.command();
                if (command != null && !decided.containsKey(command.commandId())) {
                    byType.computeIfAbsent(command.type(), t -> new ArrayList<>()).add(command);
                    actors.add(command.metadata().getActor().getApiKeyId());
                }
            }
            authorizer.prefetch(handle, actors, keys);
            byType.forEach((type, commands) -> handlers.get(type).prefetch(handle, commands, batch));
        }

        /** Writes the changes made since the last flush, in order. */
        private void flush() {
            for (CommandHandler handler : handlers.values()) {
                handler.flush(handle, batch);
            }
            batch.markWritten();
        }

        private Map<TopicKey, NavigableMap<RecordPosition, ParkedRecord>> loadParked(List<Item> items) {
            List<String> topicNames = items.stream().map(i -> i.record().topic()).distinct().toList();
            List<String> recordKeys = items.stream().map(i -> i.record().key()).filter(k -> k != null).distinct().toList();
            Map<TopicKey, NavigableMap<RecordPosition, ParkedRecord>> byKey = new HashMap<>();
            for (ParkedRecord row : parkedRecords.findByKeys(handle, topicNames, recordKeys)) {
                byKey.computeIfAbsent(new TopicKey(row.position().topic(), row.recordKey()),
                        k -> new TreeMap<>(IN_PARTITION_ORDER)).put(row.position(), row);
            }
            return byKey;
        }
    }

    /** The stored change events of already-decided commands, by command id. */
    private Map<String, List<ProducerRecord<String, byte[]>>> storedEvents(Handle handle, Collection<String> commandIds) {
        Map<String, List<ProducerRecord<String, byte[]>>> records = new HashMap<>();
        for (ChangeLogEntry change : changeLog.findByCommands(handle, commandIds)) {
            records.computeIfAbsent(change.commandId(), id -> new ArrayList<>()).add(new ProducerRecord<>(
                    topics.changes(ResourceType.valueOf(change.resourceType())), change.resourceId(), change.payload()));
        }
        return records;
    }

    private static RecordPosition positionOf(DecodedCommand command) {
        return new RecordPosition(command.source().topic(), command.source().partition(), command.source().offset());
    }

    private static String describe(RecordPosition position) {
        return position.topic() + "-" + position.partition() + "@" + position.offset();
    }

    private static String eventId(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("eventId").pos()));
    }

    /** The reason class of a record dead-lettered only because an earlier record with its key is parked. */
    public static final class ParkedBehindException extends RuntimeException {
        public ParkedBehindException(String message) {
            super(message);
        }
    }
}
