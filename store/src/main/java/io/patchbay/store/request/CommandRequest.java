package io.patchbay.store.request;

import java.time.Instant;

/**
 * An Idempotency-Key claim: the first request with a (team, key), and the command it became.
 *
 * <p>A claim is never released: a failed publish cannot prove that its command is absent from Kafka (the broker may
 * have appended it before the failure), so the key stays bound to the claim's command id until the record expires.
 *
 * @param state {@code CLAIMED} when claimed; {@code SUBMITTED} once the broker acknowledged the claim's command (only
 *              then may a retry with the key be answered 202 for it)
 * @param leaseUntil until then an identical request waits for the command's outcome; after it, an identical request
 *                   publishes the same command again (the processor decides a command id once), in case the claiming
 *                   adapter died before publishing it. A failed publish ends the lease at once ({@code created_at}),
 *                   so that the next identical request publishes the same command again without waiting
 */
public record CommandRequest(String commandId, String teamId, String resourceType, String method, String path,
                             String requestId, String apiVersion, String idempotencyKey, byte[] fingerprint,
                             String state, Instant leaseUntil, Instant createdAt, Instant expiresAt) {

    public static final String CLAIMED = "CLAIMED";
    public static final String SUBMITTED = "SUBMITTED";
}
