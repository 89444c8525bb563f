package io.patchbay.admin.keys;

import java.time.Instant;
import java.util.List;

import io.patchbay.schemas.rules.Role;

/**
 * What a new API key may do.
 *
 * @param keyId the public key id; null picks a random one
 * @param expiresAt null for a key that does not expire
 * @param label free text for operators (what the key is for); null for none
 */
public record MintRequest(String teamId, Role role, List<String> scopes, Instant expiresAt, String label, String keyId) {

    public MintRequest {
        scopes = List.copyOf(scopes);
        label = label == null ? "" : label;
    }
}
