package io.patchbay.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.schemas.retry.Backoff;

/**
 * Waiting at start until PostgreSQL accepts a connection, as the apps wait for the broker: attempts with a back-off
 * (1 s, doubling up to 10 s) until {@code bound} has passed, each failed one logged once at WARN with the driver's
 * reason (host and port, never credentials), then an {@link IllegalStateException} naming the bound, the setting
 * that sets it and the last reason. Only failures an outage explains are waited out (SQLSTATE class 08, connection
 * exceptions; 57P0x, a server shutting down or starting up; 53300, too many connections); a wrong password or an
 * unknown database fails at once.
 */
final class DatabaseWait {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWait.class);
    /** Its nominal delays, without jitter: one process waiting, not many retrying at once. */
    private static final Backoff PAUSES = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    private final Duration bound;
    private final String setting;

    DatabaseWait(Duration bound, String setting) {
        if (bound.isNegative()) {
            throw new IllegalArgumentException("a database wait cannot be negative: " + bound);
        }
        this.bound = bound;
        this.setting = setting;
    }

    /** Returns once {@code dataSource} gave a connection; throws when {@code bound} passed without one. */
    void until(DataSource dataSource) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            SQLException failure = connect(dataSource);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (failure == null) {
                if (attempt > 1) {
                    LOG.info("PostgreSQL answered after {} attempts ({})", attempt, readable(waited));
                }
                return;
            }
            if (!outage(failure)) {
                throw new IllegalStateException("PostgreSQL refused the connection: " + reason(failure), failure);
            }
            Duration left = bound.minus(waited);
            if (left.isNegative() || left.isZero()) {
                throw new IllegalStateException("PostgreSQL did not accept a connection within " + readable(bound) + " ("
                        + attempt + (attempt == 1 ? " attempt" : " attempts") + "; " + setting + " sets how long to wait)"
                        + "; last error: " + reason(failure), failure);
            }
            Duration pause = Duration.ofMillis(PAUSES.nominalMillis(attempt));
            Duration nap = pause.compareTo(left) < 0 ? pause : left;
            LOG.warn("Waiting for PostgreSQL (attempt {}, {} of at most {} waited): {}; next attempt in {}", attempt,
                    readable(waited), readable(bound), reason(failure), readable(nap));
            sleep(nap, failure);
        }
    }

    /** One attempt: null when a connection was had (and given back), else why not. */
    private static SQLException connect(DataSource dataSource) {
        try {
            dataSource.getConnection().close();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void sleep(Duration nap, SQLException failure) {
        try {
            TimeUnit.NANOSECONDS.sleep(nap.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", failure);
        }
    }

    /** Whether the failure is the server being away (down, starting, stopping, full), which waiting can cure. */
    private static boolean outage(SQLException failure) {
        String state = state(failure);
        return state == null || state.startsWith("08") || state.startsWith("57P0") || state.equals("53300");
    }

    /** The SQLSTATE of the failure, or of the driver's failure beneath a pool's. */
    private static String state(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The first line of the innermost SQL failure's message (the driver's, not the pool's): host and port at most. */
    static String reason(SQLException failure) {
        SQLException innermost = failure;
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                innermost = sql;
            }
        }
        String message = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        String state = innermost.getSQLState() == null ? "" : " [SQLSTATE " + innermost.getSQLState() + "]";
        return message.lines().findFirst().orElse(message) + state;
    }

    /** {@code 300 s}, {@code 1.5 s}: how people write durations, not {@code PT5M}. */
    private static String readable(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 || millis >= 10_000 ? millis / 1000 + " s"
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
