package io.patchbay.processor.application;

import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.rules.Role;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Applies the commands of one resource type inside the batch transaction: {@link #prefetch} once with all of
 * them, {@link #handle} for each in order, {@link #flush} after the last (after each, when a batch that PostgreSQL
 * refused is applied again one command at a time).
 */
public interface CommandHandler {

    ResourceType type();

    /** The Avro schema of this type's change events, which the processor registers at start. */
    Schema changeEventSchema();

    /**
     * Adds to {@code reads} the queries that lock and read every row the {@code commands} (all of this type, in batch
     * order) will touch, and returns what puts their rows into {@code batch} once the round has run (one round trip for
     * the whole batch's reads). Optional: {@link #handle} reads whatever is missing itself.
     */
    default Runnable prefetch(ReadRound reads, List<DecodedCommand> commands, BatchContext batch) {
        return () -> { };
    }

    /**
     * The id of the resource {@code command} addresses, as {@link #prefetch} found it, when the command names it
     * otherwise (an automation addressed by its slug); null when it names it by id, or when nothing was found. Lets
     * the batch read ahead the hash-chain heads of such resources too, in one query.
     */
    default String prefetchedId(DecodedCommand command, BatchContext batch) {
        return null;
    }

    /**
     * Decides and applies {@code command} to the state in {@code batch} (via {@link BatchContext#update}); the
     * row itself is written by {@link #flush}.
     *
     * @param batch resources already locked and read in this transaction
     * @param role the role of the command's API key, already checked against its team and scopes
     */
    Outcome handle(Handle handle, DecodedCommand command, Role role, BatchContext batch, Instant now);

    /** Writes the changes {@link #handle} made since the last flush, in the order they were made. */
    void flush(Handle handle, BatchContext batch);
}
