package io.patchbay.adapter.command;

import java.time.Instant;

import io.patchbay.schemas.CommandResult;

/** How a PATCH is answered: with its outcome, with 202 while it is pending, or with 409 for a reused key. */
public sealed interface Answer {

    /** The outcome is known; {@code replayed} when it belongs to an earlier request with the same key. */
    record Completed(CommandResult result, boolean replayed, String apiVersion) implements Answer {
    }

    /**
     * Accepted, outcome pending: 202 with the command's Location; {@code requestId} and {@code createdAt} are
     * the command's own, which on a replay belong to the original request.
     */
    record Accepted(String commandId, String requestId, Instant createdAt, boolean replayed) implements Answer {
    }

    /** The Idempotency-Key was used with a different request. */
    record KeyReused() implements Answer {
    }
}
