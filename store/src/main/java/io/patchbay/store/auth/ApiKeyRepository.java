package io.patchbay.store.auth;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

/** API keys, looked up by their public id. */
public final class ApiKeyRepository {

    private static final String SELECT = "select id, team_id, secret_hash, role, scopes, expires_at, revoked_at from api_key";

    public Optional<ApiKeyRecord> find(Handle handle, String id) {
        return handle.createQuery(SELECT + " where id = :id")
                .bind("id", id)
                .mapTo(ApiKeyRecord.class)
                .findOne();
    }

    /** The keys among {@code ids}, by id, in one query; unknown ids are absent. */
    public Map<String, ApiKeyRecord> findAll(Handle handle, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return handle.createQuery(SELECT + " where id = any(:ids)")
                .bind("ids", ids.toArray(String[]::new))
                .mapTo(ApiKeyRecord.class)
                .stream().collect(Collectors.toMap(ApiKeyRecord::id, Function.identity()));
    }

    public void insert(Handle handle, ApiKeyRecord key, String label) {
        handle.createUpdate("insert into api_key (id, team_id, secret_hash, role, scopes, label, expires_at, revoked_at)"
                        + " values (:id, :team, :hash, :role, :scopes, :label, :expires, :revoked)")
                .bind("id", key.id()).bind("team", key.teamId()).bind("hash", key.secretHash())
                .bind("role", key.role()).bind("scopes", key.scopes().toArray(String[]::new)).bind("label", label)
                .bind("expires", key.expiresAt()).bind("revoked", key.revokedAt())
                .execute();
    }
}
