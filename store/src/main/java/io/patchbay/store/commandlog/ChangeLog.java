package io.patchbay.store.commandlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import io.patchbay.store.Timestamps;

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
        for (ChangeLogEntry e : entries) {
            batch.bind("resourceType", e.resourceType()).bind("resourceId", e.resourceId())
                    .bind("version", e.version()).bind("eventId", e.eventId()).bind("commandId", e.commandId())
                    .bind("teamId", e.teamId()).bind("occurredAt", Timestamps.bind(e.occurredAt()))
                    .bind("payload", e.payload()).add();
        }
        batch.execute();
    }

    public List<ChangeLogEntry> findByCommands(Handle handle, Collection<String> commandIds) {
        if (commandIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("select " + COLUMNS + " from change_log where command_id = any(:ids)")
                .bind("ids", commandIds.toArray(String[]::new)).map((rs, ctx) -> read(rs)).list();
    }

    public List<ChangeLogEntry> findByResource(Handle handle, String resourceType, String resourceId) {
        return handle.createQuery("select " + COLUMNS + " from change_log where resource_type = :type"
                        + " and resource_id = :id order by version")
                .bind("type", resourceType).bind("id", resourceId).map((rs, ctx) -> read(rs)).list();
    }

    private static ChangeLogEntry read(ResultSet rs) throws SQLException {
        return new ChangeLogEntry(rs.getString("resource_type"), rs.getString("resource_id"), rs.getLong("version"),
                rs.getString("event_id"), rs.getString("command_id"), rs.getString("team_id"),
                Timestamps.read(rs, "occurred_at"), rs.getBytes("payload"));
    }
}
