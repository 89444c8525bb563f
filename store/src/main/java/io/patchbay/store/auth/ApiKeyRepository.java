package io.patchbay.store.auth;

import java.util.Arrays;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.Timestamps;

/** API keys, looked up by their public id. */
public final class ApiKeyRepository {

    public Optional<ApiKeyRecord> find(Handle handle, String id) {
        return handle.createQuery("select id, team_id, secret_hash, role, scopes, expires_at, revoked_at"
                        + " from api_key where id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new ApiKeyRecord(rs.getString("id"), rs.getString("team_id"),
                        rs.getString("secret_hash"), rs.getString("role"),
                        Arrays.asList((String[]) rs.getArray("scopes").getArray()),
                        Timestamps.read(rs, "expires_at"), Timestamps.read(rs, "revoked_at")))
                .findOne();
    }

    public void insert(Handle handle, ApiKeyRecord key, String label) {
        handle.createUpdate("insert into api_key (id, team_id, secret_hash, role, scopes, label, expires_at, revoked_at)"
                        + " values (:id, :team, :hash, :role, :scopes, :label, :expires, :revoked)")
                .bind("id", key.id()).bind("team", key.teamId()).bind("hash", key.secretHash())
                .bind("role", key.role()).bind("scopes", key.scopes().toArray(String[]::new)).bind("label", label)
                .bind("expires", Timestamps.bind(key.expiresAt())).bind("revoked", Timestamps.bind(key.revokedAt()))
                .execute();
    }
}
