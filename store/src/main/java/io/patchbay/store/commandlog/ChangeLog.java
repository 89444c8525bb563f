package io.patchbay.store.commandlog;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.jdbi.JdbcBatch;
import io.patchbay.store.jdbi.ReadRound;

/** Every applied change, keyed by (resource, version); kept as the audit trail and for re-publishing. */
public final class ChangeLog {

    private static final String COLUMNS = "resource_type, resource_id, version, event_id, command_id, team_id,"
            + " occurred_at, payload, writer_fingerprint";

    private static final String INSERT = "insert into change_log (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Inserts the entries in one JDBC batch, bound by position ({@link JdbcBatch}). */
    public void insertAll(Handle handle, List<ChangeLogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        JdbcBatch.execute(handle, INSERT, entries, ChangeLog::bindInsert);
    }

    private static void bindInsert(PreparedStatement ps, ChangeLogEntry entry) throws SQLException {
        ps.setString(1, entry.resourceType());
        ps.setString(2, entry.resourceId());
        ps.setLong(3, entry.version());
        ps.setString(4, entry.eventId());
        ps.setString(5, entry.commandId());
        ps.setString(6, entry.teamId());
        JdbcBatch.instant(ps, 7, entry.occurredAt());
        ps.setBytes(8, entry.payload());
        ps.setBytes(9, entry.writerFingerprint());
    }

    public List<ChangeLogEntry> findByCommands(Handle handle, Collection<String> commandIds) {
        if (commandIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("select " + COLUMNS + " from change_log where command_id = any(:ids)")
                .bind("ids", commandIds.toArray(String[]::new)).mapTo(ChangeLogEntry.class).list();
    }

    /** A resource in the change log. */
    public record ResourceKey(String resourceType, String resourceId) {
    }

    /** The newest stored change of each of {@code resources} that has any, in one query. */
    public Map<ResourceKey, ChangeLogEntry> newest(Handle handle, Collection<ResourceKey> resources) {
        if (resources.isEmpty()) {
            return Map.of();
        }
        Map<ResourceKey, ChangeLogEntry> newest = new HashMap<>();
        handle.createQuery(NEWEST)
                .bind("types", resources.stream().map(ResourceKey::resourceType).toArray(String[]::new))
                .bind("ids", resources.stream().map(ResourceKey::resourceId).toArray(String[]::new))
                .mapTo(ChangeLogEntry.class)
                .forEach(entry -> newest.put(keyOf(entry), entry));
        return newest;
    }

    /**
     * {@link #newest(Handle, Collection)} as a query of {@code round}; nothing is added for no resources. Index its
     * rows with {@link #keyOf}.
     */
    public ReadRound.Rows<ChangeLogEntry> newest(ReadRound round, Collection<ResourceKey> resources) {
        if (resources.isEmpty()) {
            return null;
        }
        return round.add(NEWEST, Map.of(
                "types", resources.stream().map(ResourceKey::resourceType).toArray(String[]::new),
                "ids", resources.stream().map(ResourceKey::resourceId).toArray(String[]::new)), ChangeLogEntry.class);
    }

    /** The resource {@code entry} is a change of. */
    public static ResourceKey keyOf(ChangeLogEntry entry) {
        return new ResourceKey(entry.resourceType(), entry.resourceId());
    }

    private static final String NEWEST = "select c.* from unnest(cast(:types as text[]), cast(:ids as text[])) as r(type, id)"
            + " cross join lateral (select " + COLUMNS + " from change_log where resource_type = r.type"
            + " and resource_id = r.id order by version desc limit 1) c";

    /** Version {@code version} of {@code resource}, when stored. */
    public Optional<ChangeLogEntry> find(Handle handle, ResourceKey resource, long version) {
        return handle.createQuery("select " + COLUMNS + " from change_log where resource_type = :type and resource_id = :id"
                        + " and version = :version")
                .bind("type", resource.resourceType()).bind("id", resource.resourceId()).bind("version", version)
                .mapTo(ChangeLogEntry.class).findOne();
    }
}
