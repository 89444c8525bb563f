package io.patchbay.admin.keys;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.AdminException;
import io.patchbay.admin.Names;
import io.patchbay.admin.teams.Teams;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.jdbi.InstantColumnMapper;

/**
 * Minting, listing, revoking and rotating API keys. Secrets are made and hashed only by {@link ApiKeys} (the store's
 * one place for the key format and its hash); this class never sees a secret except inside the returned token,
 * which the caller shows once.
 */
public final class ApiKeyAdmin {

    /** The scopes a key can hold: one action, a resource family's wildcard, or everything. */
    public static final List<String> SCOPES = Scopes.KNOWN;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SELECT = "select id, team_id, role, scopes, label, created_at, expires_at, revoked_at from api_key ";

    /** A rotation's result: the new key (its token shown once) and the old key as it is now. */
    public record Rotated(ApiKeys.Minted minted, ApiKeyInfo old) {
        @Override
        public String toString() {
            return "Rotated[new=" + minted.record().id() + ", old=" + old.id() + "]";
        }
    }

    /** What {@link #revoke} did. */
    public enum Revoked { REVOKED, ALREADY_REVOKED }

    private final ApiKeyRepository keys = new ApiKeyRepository();
    private final Teams teams = new Teams();

    /** Mints a key with a random secret; its token is in the result, and nowhere else. */
    public ApiKeys.Minted mint(Handle handle, MintRequest request, Instant now) {
        String keyId = checked(handle, request, now);
        return store(handle, ApiKeys.mint(keyId, request.teamId(), request.role().wireName(), request.scopes()), request);
    }

    /**
     * Mints a key with a chosen secret, so that its token stays the same across restarts: for devstack's demo keys,
     * never for real ones.
     */
    public ApiKeys.Minted mintWithSecret(Handle handle, MintRequest request, String secret, Instant now) {
        String keyId = checked(handle, request, now);
        return store(handle, ApiKeys.withSecret(keyId, secret, request.teamId(), request.role().wireName(), request.scopes()),
                request);
    }

    private String checked(Handle handle, MintRequest request, Instant now) {
        teams.requireExists(handle, request.teamId());
        if (request.scopes().isEmpty()) {
            throw new AdminException("a key needs at least one scope (one of " + String.join(", ", SCOPES) + ")");
        }
        for (String scope : request.scopes()) {
            if (!SCOPES.contains(scope)) {
                throw new AdminException("unknown scope '" + scope + "' (expected one of " + String.join(", ", SCOPES) + ")");
            }
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new AdminException("the expiry " + request.expiresAt() + " is not in the future");
        }
        if (request.label().length() > EvaluationRules.NAME_MAX) {
            throw new AdminException("the label must be at most " + EvaluationRules.NAME_MAX + " characters");
        }
        EvaluationRules.checkText("label", request.label()).ifPresent(e -> {
            throw new AdminException(e.getMessage());
        });
        String keyId = request.keyId() == null ? randomKeyId() : request.keyId();
        Names.require("key id '" + keyId + "'", Names.keyIdProblem(keyId));
        if (find(handle, keyId).isPresent()) {
            throw new AdminException("API key id " + keyId + " is taken");
        }
        return keyId;
    }

    private ApiKeys.Minted store(Handle handle, ApiKeys.Minted minted, MintRequest request) {
        ApiKeyRecord r = minted.record();
        ApiKeyRecord record = new ApiKeyRecord(r.id(), r.teamId(), r.secretHash(), r.role(), r.scopes(), request.expiresAt(), null);
        keys.insert(handle, record, request.label());
        return new ApiKeys.Minted(minted.token(), record);
    }

    public Optional<ApiKeyInfo> find(Handle handle, String keyId) {
        return handle.createQuery(SELECT + "where id = :id").bind("id", keyId).map((rs, ctx) -> read(rs)).findOne();
    }

    /** The keys of {@code teamId} (every team's when null), by team and id. */
    public List<ApiKeyInfo> list(Handle handle, String teamId) {
        if (teamId != null) {
            teams.requireExists(handle, teamId);
        }
        return handle.createQuery(SELECT + "where (cast(:team as text) is null or team_id = :team) order by team_id, id")
                .bind("team", teamId).map((rs, ctx) -> read(rs)).list();
    }

    /**
     * Revokes a key now. The processor refuses its commands at once; an adapter that verified it recently trusts it
     * until its cache entry ends ({@code patchbay.api.api-key-cache-ttl}).
     */
    public Revoked revoke(Handle handle, String keyId) {
        int updated = handle.createUpdate("update api_key set revoked_at = now() where id = :id and revoked_at is null")
                .bind("id", keyId).execute();
        if (updated == 1) {
            return Revoked.REVOKED;
        }
        require(handle, keyId);
        return Revoked.ALREADY_REVOKED;
    }

    /**
     * Replaces a key by a new one with the same team, role, scopes and label. The old key is revoked now, or with a
     * {@code grace} period stays valid that much longer (never longer than it would have anyway).
     *
     * @param expiresAt the new key's expiry; null for none
     * @param newKeyId the new key's id; null picks a random one
     */
    public Rotated rotate(Handle handle, String keyId, Duration grace, Instant expiresAt, String newKeyId, Instant now) {
        ApiKeyInfo old = handle.createQuery(SELECT + "where id = :id for update").bind("id", keyId).map((rs, ctx) -> read(rs))
                .findOne().orElseThrow(() -> new AdminException("no API key " + keyId));
        if (old.revokedAt() != null) {
            throw new AdminException("API key " + keyId + " is revoked; mint a new key instead");
        }
        ApiKeys.Minted minted = mint(handle, new MintRequest(old.teamId(), Role.parse(old.role()).orElseThrow(), old.scopes(),
                expiresAt, old.label(), newKeyId), now);
        if (grace.isZero() || grace.isNegative()) {
            revoke(handle, keyId);
        } else {
            handle.createUpdate("update api_key set expires_at = least(coalesce(expires_at, 'infinity'), :until) where id = :id")
                    .bind("until", now.plus(grace)).bind("id", keyId).execute();
        }
        return new Rotated(minted, require(handle, keyId));
    }

    private ApiKeyInfo require(Handle handle, String keyId) {
        return find(handle, keyId).orElseThrow(() -> new AdminException("no API key " + keyId));
    }

    private static ApiKeyInfo read(ResultSet rs) throws SQLException {
        return new ApiKeyInfo(rs.getString("id"), rs.getString("team_id"), rs.getString("role"),
                Arrays.asList((String[]) rs.getArray("scopes").getArray()), rs.getString("label"),
                InstantColumnMapper.read(rs, "created_at"), InstantColumnMapper.read(rs, "expires_at"), InstantColumnMapper.read(rs, "revoked_at"));
    }

    private static String randomKeyId() {
        StringBuilder id = new StringBuilder("key_");
        for (int i = 0; i < 16; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
