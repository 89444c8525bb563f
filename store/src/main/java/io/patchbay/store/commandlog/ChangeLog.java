package io.patchbay.store.commandlog;

import java.util.Collection;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Every applied change, keyed by (resource, version); kept as the audit trail and for re-publishing. */
public final class ChangeLog {

    private static final String COLUMNS = "resource_type, resource_id, version, event_id, command_id, team_id,"
            + " occurred_at, payload";

    public void insertAll(Handle handle, List<ChangeLogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("insert into change_log (" + COLUMNS + ") values (:resourceType,"
                + " :resourceId, :version, :eventId, :commandId, :teamId, :occurredAt, :payload)");
        for (ChangeLogEntry entry : entries) {
            batch.bindMethods(entry).add();
        }
        batch.execute();
    }

    public List<ChangeLogEntry> findByCommands(Handle handle, Collection<String> commandIds) {
        if (commandIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("select " + COLUMNS + " from change_log where command_id = any(:ids)")
                .bind("ids", commandIds.toArray(String[]::new)).mapTo(ChangeLogEntry.class).list();
    }
}
