package io.patchbay.admin.keys;

import java.time.Instant;
import java.util.List;

/** An API key as an operator sees it: everything but its secret, which is never stored and never shown again. */
public record ApiKeyInfo(String id, String teamId, String role, List<String> scopes, String label, Instant createdAt,
                         Instant expiresAt, Instant revokedAt) {

    /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }
}
