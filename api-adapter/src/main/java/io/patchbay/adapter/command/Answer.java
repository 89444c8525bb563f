package io.patchbay.adapter.command;

import java.time.Instant;

import io.patchbay.schemas.CommandResult;

/**
 * How a PATCH is answered: with its outcome, with 202 while it is pending, with 409 for a reused key, or with 503
 * while its key's command is not known to be on Kafka (still publishing, or its publish failed).
 */
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

    /**
     * A retry whose key's first request has not had its command acknowledged by the broker yet, and no outcome came
     * within the budget: a 202 could name a command that never reaches Kafka (the publish may still fail), so the
     * client is told to retry with the same key (503, {@code Retry-After}).
     */
    record StillPublishing() implements Answer {
    }

    /**
     * A request with an Idempotency-Key whose publish of its key's command failed: the command may be on Kafka or
     * not (the broker may have appended it before the failure). The key stays bound to the command, and the client is
     * told to retry with the same key (503, {@code Retry-After}); that retry publishes the same command again, which
     * the processor decides at most once.
     */
    record Unconfirmed() implements Answer {
    }
}
