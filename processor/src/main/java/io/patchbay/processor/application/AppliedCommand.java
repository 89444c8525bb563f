package io.patchbay.processor.application;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.patchbay.schemas.CommandResult;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLogEntry;

/**
 * What deciding one command produced, serialized as it is stored and published: its command-log entry (with the
 * result's bytes), its change-log entry and change event when something changed ({@code change} null and
 * {@code events} empty otherwise), and the result itself (for metrics).
 */
record AppliedCommand(CommandLogEntry entry, ChangeLogEntry change, List<ProducerRecord<String, byte[]>> events,
                      CommandResult result) {
}
