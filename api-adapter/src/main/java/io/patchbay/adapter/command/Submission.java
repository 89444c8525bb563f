package io.patchbay.adapter.command;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.schemas.ResourceType;

/**
 * One PATCH on its way to Kafka: who sent it, for what, and its idempotency data.
 *
 * @param path request path as fingerprinted (no trailing slash)
 * @param idempotencyKey the validated Idempotency-Key, or null
 * @param fingerprint HMAC of method, path and canonical body; null without a key
 */
public record Submission(Principal principal, ResourceType type, String method, String path, String requestId,
                         String apiVersion, String idempotencyKey, byte[] fingerprint, boolean respondAsync) {
}
