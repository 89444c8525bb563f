package io.patchbay.store.commandlog;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.jdbi.JdbcBatch;

/**
 * The processor's inbox: one row per command id, written in the same transaction as the change it made.
 * A command id found here has been decided; redelivery re-publishes its stored outcome instead of re-applying.
 */
public final class CommandLog {

    private static final String COLUMNS = "command_id, resource_type, resource_id, team_id, status, request_id,"
            + " version, result, source_topic, source_partition, source_offset, received_at, completed_at, path";

    public Map<String, CommandLogEntry> findAll(Handle handle, Collection<String> commandIds) {
        if (commandIds.isEmpty()) {
            return Map.of();
        }
        return handle.createQuery("select " + COLUMNS + " from command_log where command_id = any(:ids)")
                .bind("ids", commandIds.toArray(String[]::new))
                .mapTo(CommandLogEntry.class).stream()
                .collect(Collectors.toMap(CommandLogEntry::commandId, Function.identity()));
    }

    public Optional<CommandLogEntry> find(Handle handle, String commandId) {
        return handle.createQuery("select " + COLUMNS + " from command_log where command_id = :id")
                .bind("id", commandId).mapTo(CommandLogEntry.class).findOne();
    }

    /**
     * Inserts the entries in one batch; fails with {@link AlreadyDecidedException} when any command id was
     * recorded meanwhile (a concurrent processor after a rebalance), so the caller's transaction rolls back.
     */
    public void insertAll(Handle handle, List<CommandLogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        int[] counts = JdbcBatch.execute(handle, INSERT, entries, CommandLog::bindInsert);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw new AlreadyDecidedException(entries.get(i).commandId());
            }
        }
    }

    private static final String INSERT = "insert into command_log (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?) on conflict (command_id) do nothing";

    /** Binds one entry by position ({@link JdbcBatch}): one JDBC batch without Jdbi's per-row argument lookups. */
    private static void bindInsert(PreparedStatement ps, CommandLogEntry entry) throws SQLException {
        ps.setString(1, entry.commandId());
        ps.setString(2, entry.resourceType());
        ps.setString(3, entry.resourceId());
        ps.setString(4, entry.teamId());
        ps.setString(5, entry.status());
        ps.setString(6, entry.requestId());
        JdbcBatch.nullableLong(ps, 7, entry.version());
        ps.setBytes(8, entry.result());
        ps.setString(9, entry.source().topic());
        ps.setInt(10, entry.source().partition());
        ps.setLong(11, entry.source().offset());
        JdbcBatch.instant(ps, 12, entry.receivedAt());
        JdbcBatch.instant(ps, 13, entry.completedAt());
        ps.setString(14, entry.path());
    }

    /** Deletes up to {@code limit} entries completed before {@code cutoff}; returns how many. */
    public int purgeCompletedBefore(Handle handle, Instant cutoff, int limit) {
        return handle.createUpdate("delete from command_log where command_id in (select command_id from command_log"
                        + " where completed_at < :cutoff limit :limit)")
                .bind("cutoff", cutoff).bind("limit", limit).execute();
    }

    /** A command id was decided by someone else while this transaction ran. */
    public static final class AlreadyDecidedException extends RuntimeException {
        public AlreadyDecidedException(String commandId) {
            super("command " + commandId + " was recorded concurrently; retrying the batch will replay it");
        }
    }
}
