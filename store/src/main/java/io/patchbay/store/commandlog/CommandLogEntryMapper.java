package io.patchbay.store.commandlog;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.jdbi.InstantColumnMapper;

/** Maps a {@code command_log} row; its {@code source_*} columns become the {@link RecordPosition}. */
public final class CommandLogEntryMapper implements RowMapper<CommandLogEntry> {

    @Override
    public CommandLogEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CommandLogEntry(rs.getString("command_id"), rs.getString("resource_type"),
                rs.getString("resource_id"), rs.getString("team_id"), rs.getString("status"),
                rs.getString("request_id"), rs.getObject("version", Long.class), rs.getBytes("result"),
                new RecordPosition(rs.getString("source_topic"), rs.getInt("source_partition"), rs.getLong("source_offset")),
                InstantColumnMapper.read(rs, "received_at"), InstantColumnMapper.read(rs, "completed_at"), rs.getString("path"));
    }
}
