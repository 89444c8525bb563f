package io.patchbay.processor.application;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;

/**
 * The decided commands of one transaction (the command log is the processor's inbox, patterns.md 1.3): those the log
 * held when the batch began, with their stored change events, and those the batch decides. Every decided command is
 * answered from here, its result to the reply destination of the record at hand ({@link ReplyRoutes}): the record that
 * decided it (or its redelivery) publishes its events and result, the same
 * command id in another record (a producer retry) gets its result only, so the change stream gets no copy.
 */
final class DecidedCommands {

    private static final Logger log = LoggerFactory.getLogger(DecidedCommands.class);

    private final ReplyRoutes replies;
    private final Map<String, CommandLogEntry> entries;
    private final Map<String, List<ProducerRecord<String, byte[]>>> events = new HashMap<>();

    private DecidedCommands(ReplyRoutes replies, Map<String, CommandLogEntry> entries) {
        this.replies = replies;
        this.entries = entries;
    }

    /** Reads the command-log entries and change events of {@code commandIds}, in two queries. */
    static DecidedCommands load(Handle handle, Topics topics, ReplyRoutes replies, Collection<String> commandIds) {
        DecidedCommands decided = new DecidedCommands(replies, new HashMap<>(new CommandLog().findAll(handle, commandIds)));
        for (ChangeLogEntry change : new ChangeLog().findByCommands(handle, decided.entries.keySet())) {
            decided.events.computeIfAbsent(change.commandId(), id -> new ArrayList<>()).add(new ProducerRecord<>(
                    topics.changes(ResourceType.valueOf(change.resourceType())), change.resourceId(), change.payload()));
        }
        return decided;
    }

    boolean contains(String commandId) {
        return entries.containsKey(commandId);
    }

    /** Remembers a command the batch has just decided from {@code record}; returns its events and result, to publish. */
    List<ProducerRecord<String, byte[]>> add(AppliedCommand applied, BatchRecord record) {
        CommandLogEntry entry = applied.entry();
        entries.put(entry.commandId(), entry);
        events.put(entry.commandId(), applied.events());
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(applied.events());
        out.add(replies.result(record.record(), entry.commandId(), entry.result()));
        return out;
    }

    /** What to publish again for {@code record}, whose command is decided already. */
    List<ProducerRecord<String, byte[]>> answer(BatchRecord record) {
        CommandLogEntry entry = entries.get(record.command().commandId());
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        if (entry.source().equals(record.position())) {
            log.info("command {} redelivered; re-publishing its stored outcome", entry.commandId());
            out.addAll(events.getOrDefault(entry.commandId(), List.of()));
        } else {
            log.info("command {} was sent again; answering with its stored result only", entry.commandId());
        }
        out.add(replies.result(record.record(), entry.commandId(), entry.result()));
        return out;
    }
}
