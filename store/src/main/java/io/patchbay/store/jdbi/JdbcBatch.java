package io.patchbay.store.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One statement run as a JDBC batch on a {@link Handle}'s connection (so in its transaction), its parameters bound by
 * position. For the processor's per-batch writes: a Jdbi {@code PreparedBatch} resolves every named argument of every
 * row through its argument factories, which cost about as much CPU as the driver's own work. Values are bound as the
 * store's Jdbi binds them ({@link #instant} as {@link InstantArgumentFactory} does). A failure is a Jdbi
 * {@link UnableToExecuteStatementException} with the driver's {@link SQLException} as its cause, as from Jdbi.
 */
public final class JdbcBatch {

    private JdbcBatch() {
    }

    /** Binds one row's parameters. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** Runs {@code sql} once per row of {@code rows} (not empty), in one batch; returns the update counts. */
    public static <T> int[] execute(Handle handle, String sql, Collection<? extends T> rows, Binder<? super T> binder) {
        try {
            return execute(handle.getConnection(), sql, rows, binder);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("batch failed: " + sql, e, null);
        }
    }

    /** The same on a plain connection, its failure the driver's own (for the benchmark's raw database loop). */
    public static <T> int[] execute(Connection connection, String sql, Collection<? extends T> rows,
                                    Binder<? super T> binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    /** Binds a {@code timestamptz} parameter as {@link InstantArgumentFactory} does: a UTC offset date-time, or null. */
    public static void instant(PreparedStatement statement, int position, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(position, InstantArgumentFactory.utc(value));
        }
    }

    /** Binds a nullable {@code bigint} parameter. */
    public static void nullableLong(PreparedStatement statement, int position, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(position, Types.BIGINT);
        } else {
            statement.setLong(position, value);
        }
    }
}
