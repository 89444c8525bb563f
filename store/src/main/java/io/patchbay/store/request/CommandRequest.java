package io.patchbay.store.request;

import java.time.Instant;

/**
 * A command the adapter accepted over HTTP, with its Idempotency-Key claim when one was sent.
 *
 * @param state {@code CLAIMED} until the command is on Kafka, then {@code SUBMITTED}
 * @param leaseUntil while CLAIMED: after it, another request may take the key over
 */
public record CommandRequest(String commandId, String teamId, String resourceType, String method, String path,
                             String requestId, String apiVersion, String idempotencyKey, byte[] fingerprint,
                             String state, Instant leaseUntil, Instant createdAt, Instant expiresAt) {

    public static final String CLAIMED = "CLAIMED";
    public static final String SUBMITTED = "SUBMITTED";
}
