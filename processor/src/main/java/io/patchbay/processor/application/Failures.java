package io.patchbay.processor.application;

import java.sql.SQLException;

import io.patchbay.store.commandlog.CommandLog;

/**
 * Sorts failures into those of one command and those of the environment.
 *
 * <p>Only PostgreSQL refusing a command's own data (SQLState class 22, data exception, or 23, integrity
 * constraint violation) is that command's fault: it would fail the same way forever, so the command is
 * dead-lettered and its partition moves on. Everything else (a database, broker or registry outage, a
 * serialization failure, a concurrent processor, a bug) is retried with back-off without limit: an unknown
 * failure blocks its partition visibly rather than dead-lettering a stream of good commands.
 */
public final class Failures {

    private Failures() {
    }

    /** True when {@code failure} is PostgreSQL refusing the data of the command being applied. */
    public static boolean isCommandSpecific(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code failure} is a command-log insert that found its command id decided already. */
    public static boolean isAlreadyDecided(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommandLog.AlreadyDecidedException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, for a dead letter's reason. */
    public static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
