package io.patchbay.store.auth;

import java.time.Instant;
import java.util.List;

/** A stored API key: its team, role and scopes, and the hash of its secret. */
public record ApiKeyRecord(String id, String teamId, String secretHash, String role, List<String> scopes,
                           Instant expiresAt, Instant revokedAt) {

    /** Neither revoked nor expired at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** Without the hash: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "ApiKeyRecord[id=" + id + ", teamId=" + teamId + ", role=" + role + ", scopes=" + scopes + ", expiresAt="
                + expiresAt + ", revokedAt=" + revokedAt + "]";
    }
}
