package io.patchbay.processor.application;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.CommandLog;

/**
 * The one write path of applied commands, used by a whole batch (once, at its end) and by a batch applied one command
 * at a time (after each, under its savepoint): the changed rows in order, one JDBC batch per resource type
 * ({@link CommandHandler#flush}), then their change-log and command-log entries.
 */
final class CommandWriter {

    private final Collection<CommandHandler> handlers;
    private final CommandLog commandLog = new CommandLog();
    private final ChangeLog changeLog = new ChangeLog();

    CommandWriter(Collection<CommandHandler> handlers) {
        this.handlers = handlers;
    }

    /** Writes the changes {@code batch} holds unwritten and the entries of {@code applied}. */
    void write(Handle handle, BatchContext batch, List<AppliedCommand> applied) {
        for (CommandHandler handler : handlers) {
            handler.flush(handle, batch);
        }
        batch.markWritten();
        CycleTrace.mark(CycleTrace.Phase.WRITE_ROWS);
        changeLog.insertAll(handle, applied.stream().map(AppliedCommand::change).filter(Objects::nonNull).toList());
        commandLog.insertAll(handle, applied.stream().map(AppliedCommand::entry).toList());
        CycleTrace.mark(CycleTrace.Phase.WRITE_LOGS);
    }
}
