package io.patchbay.adapter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.patchbay.schemas.rules.Role;
import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeys;

/**
 * Authenticates {@code Authorization: Bearer pb.<id>.<secret>}.
 * <ul>
 *   <li>Key records are cached by id for {@code cacheFor} (the revocation delay), unknown ids too; a key in use is
 *       re-read on the {@code refresher} before it expires, so it stays cached and the request that finds it due
 *       does not wait for the database.</li>
 *   <li>Secrets are checked with {@link ApiKeyHasher}: an HMAC, microseconds. A key still stored in the legacy PBKDF2
 *       format costs tens of milliseconds once: the verdict is remembered for {@code cacheFor}, failures included,
 *       and a right secret is re-hashed into the current format on the spot.</li>
 *   <li>{@link FailedAuthentications} counts failures. A client address or key id over its limit is answered
 *       {@link Failure#THROTTLED} without a database lookup or a slow hash; a key whose record is cached (one in use)
 *       is still checked, cheaply, so flooding a public key id does not lock its owner out.</li>
 * </ul>
 * Nothing here logs a secret or a hash.
 */
public final class ApiKeyAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    private static final long MAX_KEYS = 100_000;
    private static final long MAX_LEGACY_VERDICTS = 10_000;

    /** Why authentication failed: no usable credentials, credentials that are not valid, or too many failures. */
    public enum Failure { MISSING, INVALID, THROTTLED }

    /**
     * Either a principal or a failure.
     *
     * @param retryAfterSeconds with {@link Failure#THROTTLED}: when to try again (at least 1)
     */
    public record Result(Principal principal, Failure failure, long retryAfterSeconds) {

        static Result of(Principal principal) {
            return new Result(principal, null, 0);
        }

        static Result failed(Failure failure) {
            return new Result(null, failure, 0);
        }

        static Result throttled(long nanos) {
            return new Result(null, Failure.THROTTLED, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L)));
        }
    }

    /** The outcome of checking one secret: a match, a mismatch, or a slow check that cannot be afforded for this long. */
    private record Check(boolean match, long waitNanos) {
        static final Check MATCH = new Check(true, 0);
        static final Check MISMATCH = new Check(false, 0);
    }

    private final ApiKeyStore store;
    private final ApiKeyHasher hasher;
    private final FailedAuthentications failures;
    private final Clock clock;
    private final LoadingCache<String, Optional<ApiKeyRecord>> records;
    private final Cache<String, Boolean> legacyVerdicts;
    private final Cache<String, Boolean> warned;

    /**
     * @param cacheFor how long a key record and a legacy verdict are trusted (the revocation delay)
     * @param clock for expiry of keys
     * @param nanoTime the caches' time source (monotonic nanoseconds)
     * @param refresher where a key in use is re-read before it expires, off the request that noticed it is due
     */
    public ApiKeyAuthenticator(ApiKeyStore store, ApiKeyHasher hasher, FailedAuthentications failures, Duration cacheFor,
                               Clock clock, LongSupplier nanoTime, Executor refresher) {
        this.store = store;
        this.hasher = hasher;
        this.failures = failures;
        this.clock = clock;
        Caffeine<Object, Object> recordCache = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(cacheFor)
                .executor(refresher).ticker(nanoTime::getAsLong);
        if (cacheFor.toMillis() >= 2) {
            recordCache.refreshAfterWrite(cacheFor.dividedBy(2));
        }
        this.records = recordCache.build(store::find);
        this.legacyVerdicts = Caffeine.newBuilder().maximumSize(MAX_LEGACY_VERDICTS).expireAfterWrite(cacheFor)
                .ticker(nanoTime::getAsLong).build();
        this.warned = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(Duration.ofHours(1)).build();
    }

    public Result authenticate(String authorization, String clientAddress) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Result.failed(Failure.MISSING);
        }
        Optional<ApiKeys.Token> parsed = ApiKeys.parse(authorization.substring(7).trim());
        long blocked = failures.blockedFor(clientAddress, parsed.map(ApiKeys.Token::keyId).orElse(null));
        if (parsed.isEmpty()) {
            return fail(clientAddress, null, blocked);
        }
        ApiKeys.Token token = parsed.get();
        Optional<ApiKeyRecord> record = blocked > 0 ? records.getIfPresent(token.keyId()) : records.get(token.keyId());
        if (record == null) {
            return Result.throttled(blocked);
        }
        Optional<ApiKeyRecord> active = record.filter(key -> key.activeAt(clock.instant()));
        Check check = active.map(key -> check(token, key, blocked)).orElse(Check.MISMATCH);
        if (check.waitNanos() > 0) {
            return Result.throttled(Math.max(check.waitNanos(), blocked));
        }
        Optional<Principal> principal = check.match() ? active.flatMap(this::toPrincipal) : Optional.empty();
        return principal.map(Result::of).orElseGet(() -> fail(clientAddress, record.map(ApiKeyRecord::id).orElse(null), blocked));
    }

    private Result fail(String clientAddress, String existingKeyId, long blocked) {
        if (blocked > 0) {
            return Result.throttled(blocked);
        }
        failures.failed(clientAddress, existingKeyId);
        return Result.failed(Failure.INVALID);
    }

    private Check check(ApiKeys.Token token, ApiKeyRecord key, long blocked) {
        String stored = key.secretHash();
        if (!ApiKeyHasher.isLegacy(stored)) {
            return verify(token, key) ? Check.MATCH : Check.MISMATCH;
        }
        String memo = digest(key.id(), token.secret(), stored);
        Boolean known = legacyVerdicts.getIfPresent(memo);
        if (known != null) {
            return known ? Check.MATCH : Check.MISMATCH;
        }
        long wait = blocked > 0 ? blocked : failures.takeLegacyCheck();
        if (wait > 0) {
            return new Check(false, wait);
        }
        boolean match = verify(token, key);
        legacyVerdicts.put(memo, match);
        if (match) {
            rehash(key, token.secret());
        }
        return match ? Check.MATCH : Check.MISMATCH;
    }

    private boolean verify(ApiKeys.Token token, ApiKeyRecord key) {
        ApiKeyHasher.Verdict verdict = hasher.verify(key.id(), token.secret(), key.secretHash());
        if (verdict == ApiKeyHasher.Verdict.OTHER_PEPPER) {
            warnOnce(key.id(), "API key {} was hashed with another pepper than this adapter's ({}): check patchbay.api.api-key-pepper");
        } else if (verdict == ApiKeyHasher.Verdict.UNREADABLE) {
            warnOnce(key.id(), "API key {} has a stored hash in no known format (this adapter's pepper id is {})");
        }
        return verdict == ApiKeyHasher.Verdict.MATCH;
    }

    /** Moves a legacy key to the current format: same secret, so nobody is locked out. */
    private void rehash(ApiKeyRecord key, String secret) {
        String current = hasher.hash(key.id(), secret);
        try {
            store.replaceSecretHash(key.id(), key.secretHash(), current);
            records.put(key.id(), Optional.of(new ApiKeyRecord(key.id(), key.teamId(), current, key.role(), key.scopes(),
                    key.expiresAt(), key.revokedAt())));
        } catch (RuntimeException e) {
            warnOnce(key.id(), "API key {} could not be re-hashed into the current format (pepper id {}); it keeps working: "
                    + e.getClass().getSimpleName());
        }
    }

    private Optional<Principal> toPrincipal(ApiKeyRecord key) {
        Optional<Role> role = Role.parse(key.role());
        if (role.isEmpty()) {
            warnOnce(key.id(), "API key {} has an unknown role and is refused (pepper id {})");
        }
        return role.map(r -> new Principal(key.id(), key.teamId(), r, key.scopes()));
    }

    private void warnOnce(String keyId, String message) {
        if (warned.asMap().putIfAbsent(keyId + "\0" + message, Boolean.TRUE) == null) {
            log.warn(message, keyId, hasher.pepperId());
        }
    }

    private static String digest(String keyId, String secret, String stored) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {keyId, secret, stored}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
