package io.patchbay.adapter.command;

import java.time.Instant;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.resource.ResourceApi;

/**
 * One PATCH that passed the checks made before its body's fields: who sent it, for which resource, and its
 * idempotency data.
 *
 * @param pathId the resource identifier as it appears in the path
 * @param path request path as fingerprinted (no trailing slash)
 * @param apiVersion the resolved {@code Autousers-Version}, or null on Respan routes
 * @param idempotencyKey the validated Idempotency-Key, or null
 * @param fingerprint HMAC of method, path and canonical body; null without a key
 * @param receivedAt the instant the request is validated at, in milliseconds
 */
public record Submission(Principal principal, ResourceApi resource, String pathId, String method, String path,
                         String requestId, String apiVersion, String idempotencyKey, byte[] fingerprint,
                         boolean respondAsync, Instant receivedAt) {
}
