package io.patchbay.store.auth;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.jdbi.ReadRound;

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

    /** {@link #findAll(Handle, Collection)} as a query of {@code round}; nothing is added for no ids. */
    public ReadRound.Rows<ApiKeyRecord> findAll(ReadRound round, Collection<String> ids) {
        if (ids.isEmpty()) {
            return null;
        }
        return round.add(SELECT + " where id = any(:ids)", Map.of("ids", ids.toArray(String[]::new)), ApiKeyRecord.class);
    }

    /**
     * Replaces a key's secret hash by {@code newHash} if it is still {@code oldHash} (a re-hash of the same secret, so
     * nobody is locked out; a concurrent change wins). Returns whether the row changed.
     */
    public boolean replaceSecretHash(Handle handle, String id, String oldHash, String newHash) {
        return handle.createUpdate("update api_key set secret_hash = :new where id = :id and secret_hash = :old")
                .bind("id", id).bind("old", oldHash).bind("new", newHash)
                .execute() == 1;
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
