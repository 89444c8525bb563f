package io.patchbay.store.jdbi;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * Binds an {@link Instant} to a {@code timestamptz} parameter as a UTC {@link OffsetDateTime} (pgjdbc's exact
 * type for it), instead of Jdbi's default {@code java.sql.Timestamp}, which goes through the JVM's time zone.
 * {@link StorePlugin} registers it.
 */
public final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {

    public InstantArgumentFactory() {
        super(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    protected Argument build(Instant value, ConfigRegistry config) {
        OffsetDateTime utc = utc(value);
        return (position, statement, ctx) -> statement.setObject(position, utc);
    }

    /** {@code instant} as pgjdbc binds a {@code timestamptz}: for raw JDBC callers. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
