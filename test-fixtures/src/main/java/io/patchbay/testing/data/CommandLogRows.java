package io.patchbay.testing.data;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * How many command log rows a command has: one once a processor decided it, never more (the command log's primary
 * key is the command id), none before. Tests that wait for a decision, or check that a redelivery decided nothing
 * twice, ask here rather than write the query out.
 */
public final class CommandLogRows {

    private CommandLogRows() {
    }

    /** The rows of {@code commandId} in {@code jdbi}'s database. */
    public static int of(Jdbi jdbi, String commandId) {
        return jdbi.withHandle(handle -> of(handle, commandId));
    }

    /** The rows of {@code commandId}, read on {@code handle} (inside the caller's transaction, say). */
    public static int of(Handle handle, String commandId) {
        return handle.createQuery("select count(*) from command_log where command_id = :id")
                .bind("id", commandId).mapTo(Integer.class).one();
    }
}
