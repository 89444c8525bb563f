package io.patchbay.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.auth.ApiKeyAuthenticator.Failure;
import io.patchbay.adapter.auth.ApiKeyAuthenticator.Result;
import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.auth.SecretHasher;

class ApiKeyAuthenticatorTest {

    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ApiKeyHasher hasher = ApiKeyHasher.fromSettings("unit-test-api-key-pepper", null);
    private final InMemoryKeys store = new InMemoryKeys();
    private final Queue<Runnable> refreshes = new ConcurrentLinkedQueue<>();

    private ApiKeyAuthenticator authenticator(FailedAuthentications.Limits limits) {
        return new ApiKeyAuthenticator(store, hasher, new FailedAuthentications(limits, nanos::get), Duration.ofSeconds(30),
                Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC), nanos::get, refreshes::add);
    }

    private String currentKey(String keyId) {
        ApiKeys.Minted minted = ApiKeys.mint(hasher, keyId, "team_a", "editor", List.of("evaluations:*"));
        store.keys.put(keyId, minted.record());
        return minted.token();
    }

    private String legacyKey(String keyId) {
        String secret = "legacy-secret-of-" + keyId;
        store.keys.put(keyId, new ApiKeyRecord(keyId, "team_a", SecretHasher.hash(secret, 1_000), "editor",
                List.of("evaluations:*"), null, null));
        return "pb." + keyId + "." + secret;
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String wrong(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1) + "wrong-" + System.nanoTime();
    }

    @Test
    void aCurrentFormatKeyAuthenticatesAndAWrongSecretIsInvalid() {
        ApiKeyAuthenticator auth = authenticator(FailedAuthentications.Limits.off());
        String token = currentKey("k1");

        Result ok = auth.authenticate(bearer(token), A);
        Result bad = auth.authenticate(bearer(wrong(token)), A);

        assertThat(ok.principal()).isEqualTo(new Principal("k1", "team_a", io.patchbay.schemas.rules.Role.EDITOR,
                List.of("evaluations:*")));
        assertThat(bad.failure()).isEqualTo(Failure.INVALID);
        assertThat(auth.authenticate(null, A).failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.authenticate("Basic abc", A).failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.authenticate("Bearer not-a-token", A).failure()).isEqualTo(Failure.INVALID);
    }

    @Test
    void aLegacyKeyStillAuthenticatesAndIsRehashedIntoTheCurrentFormat() {
        ApiKeyAuthenticator auth = authenticator(FailedAuthentications.Limits.off());
        String token = legacyKey("old");

        assertThat(auth.authenticate(bearer(token), A).principal()).isNotNull();

        String stored = store.keys.get("old").secretHash();
        assertThat(hasher.isCurrent(stored)).isTrue();
        assertThat(hasher.verify("old", token.substring(token.lastIndexOf('.') + 1), stored))
                .isEqualTo(ApiKeyHasher.Verdict.MATCH);
        assertThat(authenticator(FailedAuthentications.Limits.off()).authenticate(bearer(token), A).principal()).isNotNull();
    }

    @Test
    void aRepeatedWrongLegacySecretIsAnsweredFromMemoryNotAnotherSlowCheck() {
        ApiKeyAuthenticator auth = authenticator(new FailedAuthentications.Limits(0, 0, null, 1));
        String token = legacyKey("old");
        String wrong = wrong(token);

        assertThat(auth.authenticate(bearer(wrong), A).failure()).isEqualTo(Failure.INVALID);
        // the one slow check of this second is spent: the same wrong secret is remembered, a new one must wait
        assertThat(auth.authenticate(bearer(wrong), A).failure()).isEqualTo(Failure.INVALID);
        Result another = auth.authenticate(bearer(wrong(token)), A);
        assertThat(another.failure()).isEqualTo(Failure.THROTTLED);
        assertThat(another.retryAfterSeconds()).isEqualTo(1);
        assertThat(store.finds.get()).isEqualTo(1);
    }

    @Test
    void anAddressOverItsLimitIsThrottledWithoutALookupUntilThePeriodPasses() {
        ApiKeyAuthenticator auth = authenticator(new FailedAuthentications.Limits(3, 0, Duration.ofMinutes(1), 0));
        for (int i = 0; i < 3; i++) {
            assertThat(auth.authenticate(bearer("pb.unknown" + i + ".x"), A).failure()).isEqualTo(Failure.INVALID);
        }
        int lookups = store.finds.get();

        Result throttled = auth.authenticate(bearer("pb.unknown9.x"), A);

        assertThat(throttled.failure()).isEqualTo(Failure.THROTTLED);
        assertThat(throttled.retryAfterSeconds()).isBetween(1L, 20L);
        assertThat(store.finds.get()).isEqualTo(lookups);
        assertThat(auth.authenticate(bearer("pb.unknown9.x"), B).failure()).isEqualTo(Failure.INVALID);
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(auth.authenticate(bearer("pb.unknown9.x"), A).failure()).isEqualTo(Failure.INVALID);
    }

    @Test
    void aKeyInUseKeepsWorkingFromAnAddressOverItsLimitButAnUncachedOneWaits() {
        ApiKeyAuthenticator auth = authenticator(new FailedAuthentications.Limits(2, 0, Duration.ofMinutes(1), 0));
        String inUse = currentKey("in_use");
        String idle = currentKey("idle");
        assertThat(auth.authenticate(bearer(inUse), A).principal()).isNotNull();
        auth.authenticate(bearer("pb.nobody.x"), A);
        auth.authenticate(bearer("pb.nobody.y"), A);

        assertThat(auth.authenticate(bearer(inUse), A).principal()).isNotNull();
        assertThat(auth.authenticate(bearer(wrong(inUse)), A).failure()).isEqualTo(Failure.THROTTLED);
        assertThat(auth.authenticate(bearer(idle), A).failure()).isEqualTo(Failure.THROTTLED);
    }

    @Test
    void floodingAKeyIdThrottlesWrongSecretsFromEveryAddressButNotTheOwner() {
        ApiKeyAuthenticator auth = authenticator(new FailedAuthentications.Limits(0, 3, Duration.ofMinutes(1), 0));
        String token = currentKey("public_id");
        for (int i = 0; i < 3; i++) {
            assertThat(auth.authenticate(bearer(wrong(token)), "10.0.1." + i).failure()).isEqualTo(Failure.INVALID);
        }

        assertThat(auth.authenticate(bearer(wrong(token)), "10.0.2.1").failure()).isEqualTo(Failure.THROTTLED);
        assertThat(auth.authenticate(bearer(token), "10.0.2.2").principal()).isNotNull();
        assertThat(auth.authenticate(bearer(wrong(currentKey("other_id"))), "10.0.2.1").failure()).isEqualTo(Failure.INVALID);
    }

    @Test
    void unknownKeyIdsDoNotUseAnyKeysBudget() {
        ApiKeyAuthenticator auth = authenticator(new FailedAuthentications.Limits(0, 1, Duration.ofMinutes(1), 0));

        assertThat(auth.authenticate(bearer("pb.ghost.x"), A).failure()).isEqualTo(Failure.INVALID);
        assertThat(auth.authenticate(bearer("pb.ghost.y"), A).failure()).isEqualTo(Failure.INVALID);
    }

    @Test
    void aRevokedKeyIsRefusedOnceItsCachedRecordExpires() {
        ApiKeyAuthenticator auth = authenticator(FailedAuthentications.Limits.off());
        String token = currentKey("revoke_me");
        assertThat(auth.authenticate(bearer(token), A).principal()).isNotNull();
        ApiKeyRecord key = store.keys.get("revoke_me");
        store.keys.put("revoke_me", new ApiKeyRecord(key.id(), key.teamId(), key.secretHash(), key.role(), key.scopes(), null,
                Instant.parse("2026-05-04T09:00:00Z")));

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());

        assertThat(auth.authenticate(bearer(token), A).failure()).isEqualTo(Failure.INVALID);
    }

    @Test
    void aKeyDueForRefreshIsReReadOnTheRefresherNotByTheRequestThatFindsItDue() {
        ApiKeyAuthenticator auth = authenticator(FailedAuthentications.Limits.off());
        String token = currentKey("in_use");
        assertThat(auth.authenticate(bearer(token), A).principal()).isNotNull();
        assertThat(store.finds).hasValue(1);
        ApiKeyRecord key = store.keys.get("in_use");
        store.keys.put("in_use", new ApiKeyRecord(key.id(), key.teamId(), key.secretHash(), key.role(), key.scopes(), null,
                Instant.parse("2026-05-04T09:00:00Z")));

        nanos.addAndGet(Duration.ofSeconds(16).toNanos());
        Result due = auth.authenticate(bearer(token), A);

        assertThat(due.principal()).as("answered from the cached record").isNotNull();
        assertThat(store.finds).as("no read on the request").hasValue(1);
        assertThat(refreshes).as("the re-read handed to the refresher").isNotEmpty();

        for (Runnable task = refreshes.poll(); task != null; task = refreshes.poll()) {
            task.run();
        }

        assertThat(store.finds).hasValue(2);
        assertThat(auth.authenticate(bearer(token), A).failure()).as("the re-read record is revoked").isEqualTo(Failure.INVALID);
    }

    @Test
    void aKeyHashedWithAnotherPepperIsInvalidNotAnError() {
        ApiKeyAuthenticator auth = authenticator(FailedAuthentications.Limits.off());
        ApiKeys.Minted minted = ApiKeys.mint(ApiKeyHasher.fromSettings("some-other-pepper-here", null), "k2", "team_a",
                "editor", List.of());
        store.keys.put("k2", minted.record());

        assertThat(auth.authenticate(bearer(minted.token()), A).failure()).isEqualTo(Failure.INVALID);
    }

    /** Keys in memory: the authenticator's logic without a database. */
    private static final class InMemoryKeys implements ApiKeyStore {
        final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();

        @Override
        public Optional<ApiKeyRecord> find(String keyId) {
            finds.incrementAndGet();
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public void replaceSecretHash(String keyId, String oldHash, String newHash) {
            keys.computeIfPresent(keyId, (id, key) -> key.secretHash().equals(oldHash) ? new ApiKeyRecord(key.id(),
                    key.teamId(), newHash, key.role(), key.scopes(), key.expiresAt(), key.revokedAt()) : key);
        }
    }
}
