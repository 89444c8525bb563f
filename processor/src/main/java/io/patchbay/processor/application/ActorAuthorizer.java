package io.patchbay.processor.application;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.rules.Decision;
import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Re-checks who sent a command: its API key must exist, be active, belong to the command's team and hold the
 * write scope. Commands written straight to Kafka get the same scrutiny as HTTP ones.
 */
public final class ActorAuthorizer {

    private final ApiKeyRepository keys = new ApiKeyRepository();

    /** Either the key's role or the reason the command is refused. */
    public record Verdict(Role role, CommandError refusal) {
    }

    public Verdict authorize(Handle handle, CommandMetadata metadata, Map<String, Optional<ApiKeyRecord>> cache, Instant now) {
        Optional<ApiKeyRecord> key = cache.computeIfAbsent(metadata.getActor().getApiKeyId(), id -> keys.find(handle, id));
        String scope = Scopes.write(metadata.getResourceType());
        if (key.isEmpty() || !key.get().activeAt(now) || !key.get().teamId().equals(metadata.getTeamId())) {
            return refused(null, "API key " + metadata.getActor().getApiKeyId() + " is not an active key of team "
                    + metadata.getTeamId() + ".");
        }
        if (!Scopes.grants(key.get().scopes(), scope)) {
            return refused("missing_required_scope", "Missing required scope: " + scope);
        }
        return Role.parse(key.get().role()).map(role -> new Verdict(role, null))
                .orElseGet(() -> refused(null, "API key has an unknown role."));
    }

    /** Reads the keys {@code keyIds} into {@code cache} in one query; unknown ids are cached as absent. */
    public void prefetch(Handle handle, Collection<String> keyIds, Map<String, Optional<ApiKeyRecord>> cache) {
        Map<String, ApiKeyRecord> found = keys.findAll(handle, keyIds.stream().filter(id -> !cache.containsKey(id)).toList());
        keyIds.forEach(id -> cache.putIfAbsent(id, Optional.ofNullable(found.get(id))));
    }

    /**
     * Adds the query of the keys {@code keyIds} not in {@code cache} to {@code reads}; the returned step puts them into
     * {@code cache} once the round has run, unknown ids as absent.
     */
    public Runnable prefetch(ReadRound reads, Collection<String> keyIds, Map<String, Optional<ApiKeyRecord>> cache) {
        ReadRound.Rows<ApiKeyRecord> rows = keys.findAll(reads, keyIds.stream().filter(id -> !cache.containsKey(id)).toList());
        return () -> {
            Map<String, ApiKeyRecord> found = new HashMap<>();
            if (rows != null) {
                rows.list().forEach(key -> found.put(key.id(), key));
            }
            keyIds.forEach(id -> cache.putIfAbsent(id, Optional.ofNullable(found.get(id))));
        };
    }

    public static Map<String, Optional<ApiKeyRecord>> newCache() {
        return new HashMap<>();
    }

    private static Verdict refused(String code, String message) {
        return new Verdict(null, Decision.error(ErrorKind.FORBIDDEN, code, null, message));
    }
}
