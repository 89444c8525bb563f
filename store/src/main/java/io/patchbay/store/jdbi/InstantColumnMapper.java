package io.patchbay.store.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a {@code timestamptz} column as an {@link Instant}, through pgjdbc's {@link OffsetDateTime} (exact, at
 * PostgreSQL's microsecond precision, independent of the JVM's time zone). {@link StorePlugin} registers it.
 */
public final class InstantColumnMapper implements ColumnMapper<Instant> {

    @Override
    public Instant map(ResultSet r, int columnNumber, StatementContext ctx) throws SQLException {
        return instant(r.getObject(columnNumber, OffsetDateTime.class));
    }

    @Override
    public Instant map(ResultSet r, String columnLabel, StatementContext ctx) throws SQLException {
        return read(r, columnLabel);
    }

    /** The column {@code column} of the current row as an {@link Instant}: for row mappers and raw JDBC callers. */
    public static Instant read(ResultSet r, String column) throws SQLException {
        return instant(r.getObject(column, OffsetDateTime.class));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
