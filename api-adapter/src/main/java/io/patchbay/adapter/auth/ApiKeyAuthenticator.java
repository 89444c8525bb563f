package io.patchbay.adapter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.rules.Role;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.auth.SecretHasher;

/**
 * Authenticates {@code Authorization: Bearer pb.<id>.<secret>}. The slow hash is verified once; the verdict is
 * then cached for a short time under a SHA-256 of the token, so revocation takes effect within that time.
 */
public final class ApiKeyAuthenticator {

    /** Why authentication failed: no usable credentials, or credentials that are not valid. */
    public enum Failure { MISSING, INVALID }

    /** Either a principal or a failure. */
    public record Result(Principal principal, Failure failure) {
    }

    private record Cached(Principal principal, Instant until) {
    }

    private final Jdbi jdbi;
    private final ApiKeyRepository keys = new ApiKeyRepository();
    private final Duration cacheFor;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> verified = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(Jdbi jdbi, Duration cacheFor, Clock clock) {
        this.jdbi = jdbi;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    public Result authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Result(null, Failure.MISSING);
        }
        String token = authorization.substring(7).trim();
        Instant now = clock.instant();
        String digest = sha256(token);
        Cached cached = verified.get(digest);
        if (cached != null && cached.until().isAfter(now)) {
            return new Result(cached.principal(), null);
        }
        Optional<Principal> principal = ApiKeys.parse(token).flatMap(parsed -> jdbi.withHandle(h -> keys.find(h, parsed.keyId()))
                .filter(key -> key.activeAt(now) && SecretHasher.verify(parsed.secret(), key.secretHash()))
                .flatMap(ApiKeyAuthenticator::toPrincipal));
        if (principal.isEmpty()) {
            verified.remove(digest);
            return new Result(null, Failure.INVALID);
        }
        verified.put(digest, new Cached(principal.get(), now.plus(cacheFor)));
        return new Result(principal.get(), null);
    }

    private static Optional<Principal> toPrincipal(ApiKeyRecord key) {
        return Role.parse(key.role()).map(role -> new Principal(key.id(), key.teamId(), role, key.scopes()));
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
