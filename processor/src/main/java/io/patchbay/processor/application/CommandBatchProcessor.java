package io.patchbay.processor.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

/**
 * Applies one poll's commands in one PostgreSQL transaction and returns, in order, the records to publish
 * once it has committed: change events, command results and dead letters.
 *
 * <p>Each command id is decided once. Its outcome and change event are stored, in the serialized form that
 * is published, in the same transaction as the change. A redelivered record (after a crash or a rebalance)
 * re-publishes the identical bytes instead of applying again; the same command id sent again in another
 * record (a producer retry) is answered with its stored result only, so the change stream gets no copy.
 */
public final class CommandBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchProcessor.class);

    private final Jdbi jdbi;
    private final Topics topics;
    private final CommandDecoder decoder;
    private final Serializer<Object> serializer;
    private final Map<ResourceType, CommandHandler> handlers = new HashMap<>();
    private final ActorAuthorizer authorizer = new ActorAuthorizer();
    private final CommandLog commandLog = new CommandLog();
    private final ChangeLog changeLog = new ChangeLog();
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
        List<Object> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                decoded.add(decoder.decode(record));
            } catch (CommandDecoder.PoisonCommandException e) {
                log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                decoded.add(DeadLetters.of(record, e));
            }
        }
        return jdbi.inTransaction(handle -> applyAll(handle, decoded));
    }

    @SuppressWarnings("unchecked")
    private List<ProducerRecord<String, byte[]>> applyAll(Handle handle, List<Object> decoded) {
        List<String> ids = decoded.stream().filter(DecodedCommand.class::isInstance)
                .map(d -> ((DecodedCommand) d).commandId()).distinct().toList();
        Map<String, CommandLogEntry> decided = new HashMap<>(commandLog.findAll(handle, ids));
        Map<String, List<ProducerRecord<String, byte[]>>> events = storedEvents(handle, decided.keySet());
        BatchContext batch = new BatchContext();
        Map<String, Optional<ApiKeyRecord>> keys = ActorAuthorizer.newCache();
        prefetch(handle, decoded, decided.keySet(), batch, keys);
        List<CommandLogEntry> logEntries = new ArrayList<>();
        List<ChangeLogEntry> changes = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Object item : decoded) {
            if (item instanceof ProducerRecord<?, ?> deadLetter) {
                out.add((ProducerRecord<String, byte[]>) deadLetter);
                continue;
            }
            DecodedCommand command = (DecodedCommand) item;
            CommandLogEntry entry = decided.get(command.commandId());
            if (entry == null) {
                entry = apply(handle, command, batch, keys, now, changes, events);
                decided.put(entry.commandId(), entry);
                logEntries.add(entry);
                out.addAll(events.getOrDefault(entry.commandId(), List.of()));
            } else if (entry.source().equals(positionOf(command))) {
                log.info("command {} redelivered; re-publishing its stored outcome", command.commandId());
                out.addAll(events.getOrDefault(entry.commandId(), List.of()));
            } else {
                log.info("command {} was sent again; answering with its stored result only", command.commandId());
            }
            out.add(new ProducerRecord<>(topics.commandResults(), entry.commandId(), entry.result()));
        }
        for (CommandHandler handler : handlers.values()) {
            handler.flush(handle, batch);
        }
        changeLog.insertAll(handle, changes);
        commandLog.insertAll(handle, logEntries);
        return out;
    }

    /**
     * Reads ahead, in a few set-based queries instead of several per command, what the undecided commands of the
     * batch need: their actors' API keys and, per resource type, their rows (locked).
     */
    private void prefetch(Handle handle, List<Object> decoded, Collection<String> decided, BatchContext batch,
                          Map<String, Optional<ApiKeyRecord>> keys) {
        Map<ResourceType, List<DecodedCommand>> byType = new EnumMap<>(ResourceType.class);
        Set<String> actors = new LinkedHashSet<>();
        for (Object item : decoded) {
            if (item instanceof DecodedCommand command && !decided.contains(command.commandId())) {
                byType.computeIfAbsent(command.type(), t -> new ArrayList<>()).add(command);
                actors.add(command.metadata().getActor().getApiKeyId());
            }
        }
        authorizer.prefetch(handle, actors, keys);
        byType.forEach((type, commands) -> handlers.get(type).prefetch(handle, commands, batch));
    }

    private CommandLogEntry apply(Handle handle, DecodedCommand command, BatchContext batch,
                                  Map<String, Optional<ApiKeyRecord>> keys, Instant now, List<ChangeLogEntry> changes,
                                  Map<String, List<ProducerRecord<String, byte[]>>> events) {
        ActorAuthorizer.Verdict verdict = authorizer.authorize(handle, command.metadata(), keys, now);
        Outcome outcome = verdict.refusal() != null
                ? new Outcome(Results.rejected(command.metadata(), List.of(verdict.refusal()), now), null)
                : handlers.get(command.type()).handle(handle, command, verdict.role(), batch, now);
        CommandResult result = outcome.result();
        if (outcome.changeEvent() != null) {
            String topic = topics.changes(command.type());
            byte[] event = serializer.serialize(topic, outcome.changeEvent());
            changes.add(new ChangeLogEntry(command.type().name(), result.getResourceId(), result.getVersion(),
                    eventId(outcome.changeEvent()), command.commandId(), command.metadata().getTeamId(), now, event));
            events.put(command.commandId(), List.of(new ProducerRecord<>(topic, result.getResourceId(), event)));
        }
        return new CommandLogEntry(command.commandId(), command.type().name(), result.getResourceId(),
                command.metadata().getTeamId(), result.getStatus().name(), command.metadata().getRequestId(),
                result.getVersion(), serializer.serialize(topics.commandResults(), result), positionOf(command),
                command.metadata().getReceivedAt(), now);
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

    private static CommandLogEntry.RecordPosition positionOf(DecodedCommand command) {
        return new CommandLogEntry.RecordPosition(command.source().topic(), command.source().partition(),
                command.source().offset());
    }

    private static String eventId(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("eventId").pos()));
    }
}
