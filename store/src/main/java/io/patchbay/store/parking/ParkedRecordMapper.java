package io.patchbay.store.parking;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.jdbi.InstantColumnMapper;

/** Maps a {@code parked_record} row; the key is stored as its UTF-8 bytes. */
public final class ParkedRecordMapper implements RowMapper<ParkedRecord> {

    @Override
    public ParkedRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ParkedRecord(new RecordPosition(rs.getString("source_topic"), rs.getInt("source_partition"),
                rs.getLong("source_offset")), new String(rs.getBytes("record_key"), StandardCharsets.UTF_8),
                rs.getString("reason_class"), rs.getString("reason"), InstantColumnMapper.read(rs, "parked_at"));
    }
}
