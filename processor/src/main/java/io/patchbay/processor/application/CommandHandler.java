package io.patchbay.processor.application;

import java.time.Instant;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.rules.Role;

/** Applies the commands of one resource type inside the batch transaction. */
public interface CommandHandler {

    ResourceType type();

    /**
     * Decides and applies {@code command}; writes the resource row when something changed.
     *
     * @param batch resources already locked and read in this transaction
     * @param role the role of the command's API key, already checked against its team and scopes
     */
    Outcome handle(Handle handle, DecodedCommand command, Role role, BatchContext batch, Instant now);
}
