package io.patchbay.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.patchbay.store.auth.ApiKeyHasher.Verdict;

class ApiKeyHasherTest {

    private static final String SECRET = "9f2c1e0b7a6d5c4b3a29180f7e6d5c4b3a2918070f1e2d3c4b5a69788796a5b4";
    private final ApiKeyHasher hasher = ApiKeyHasher.fromSettings("a-pepper-of-sixteen+", null);

    @Test
    void theRightSecretMatchesAndAnyOtherDoesNot() {
        String stored = hasher.hash("key_1", SECRET);

        assertThat(hasher.verify("key_1", SECRET, stored)).isEqualTo(Verdict.MATCH);
        assertThat(hasher.verify("key_1", SECRET.substring(1) + "0", stored)).isEqualTo(Verdict.MISMATCH);
        assertThat(hasher.verify("key_1", "", stored)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void theStoredFormNamesTheFormatAndPepperAndHoldsNoSecret() {
        String stored = hasher.hash("key_1", SECRET);

        assertThat(stored).startsWith("hmac-sha256$" + hasher.pepperId() + "$").doesNotContain(SECRET);
        assertThat(hasher.isCurrent(stored)).isTrue();
        assertThat(hasher.toString()).doesNotContain("a-pepper");
    }

    @Test
    void aHashCopiedOntoAnotherKeyDoesNotVerifyThere() {
        String stored = hasher.hash("attacker_key", SECRET);

        assertThat(hasher.verify("admin_key", SECRET, stored)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void aHashMadeWithAnotherPepperIsRecognisedAndNeverMatches() {
        ApiKeyHasher other = ApiKeyHasher.fromSettings("another-pepper-of-16", null);
        String stored = other.hash("key_1", SECRET);

        assertThat(hasher.verify("key_1", SECRET, stored)).isEqualTo(Verdict.OTHER_PEPPER);
        assertThat(hasher.isCurrent(stored)).isFalse();
    }

    @Test
    void legacyPbkdf2HashesStillVerifyButAreNotCurrent() {
        String legacy = SecretHasher.hash(SECRET, 1_000);

        assertThat(hasher.verify("key_1", SECRET, legacy)).isEqualTo(Verdict.MATCH);
        assertThat(hasher.verify("key_1", "wrong", legacy)).isEqualTo(Verdict.MISMATCH);
        assertThat(hasher.isCurrent(legacy)).isFalse();
    }

    @Test
    void checksInterleavedOnManyThreadsEachGetTheirOwnVerdict() throws Exception {
        List<String> stored = IntStream.range(0, 8).mapToObj(i -> hasher.hash("key_" + i, SECRET + i)).toList();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    boolean allRight = true;
                    for (int n = 0; n < 2_000; n++) {
                        int i = n % 8;
                        allRight &= hasher.verify("key_" + i, SECRET + i, stored.get(i)) == Verdict.MATCH;
                        allRight &= hasher.verify("key_" + i, SECRET + (i + 1), stored.get(i)) == Verdict.MISMATCH;
                        allRight &= hasher.hash("key_" + i, SECRET + i).equals(stored.get(i));
                    }
                    return allRight;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void storedValuesInNoKnownFormAreUnreadableNotErrors() {
        for (String stored : List.of("", "plain", "hmac-sha256$x", "hmac-sha256$" + hasher.pepperId() + "$not base64!",
                "hmac-sha256$a$b$c", "hmac-sha256$" + hasher.pepperId() + "$AAAA$AAAA")) {
            assertThat(hasher.verify("key_1", SECRET, stored)).as(stored).isEqualTo(Verdict.UNREADABLE);
        }
        for (String legacy : List.of("pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA",
                "pbkdf2-sha256$2000000000$AAAA$AAAA", "pbkdf2-sha256$1000")) {
            assertThat(hasher.verify("key_1", SECRET, legacy)).as(legacy).isEqualTo(Verdict.MISMATCH);
        }
    }

    @Test
    void aDerivedPepperIsStableAndDiffersFromTheSecretItIsDerivedFrom() {
        ApiKeyHasher derived = ApiKeyHasher.fromSettings(null, "idempotency-secret-value");
        ApiKeyHasher again = ApiKeyHasher.fromSettings("", "idempotency-secret-value");
        ApiKeyHasher secretAsPepper = ApiKeyHasher.fromSettings("idempotency-secret-value", null);

        assertThat(again.verify("k", SECRET, derived.hash("k", SECRET))).isEqualTo(Verdict.MATCH);
        assertThat(derived.pepperId()).isNotEqualTo(secretAsPepper.pepperId());
    }

    @Test
    void aShortOrMissingPepperIsRefused() {
        assertThatThrownBy(() -> ApiKeyHasher.fromSettings("short", "idempotency-secret-value"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ApiKeyHasher.fromSettings(null, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    }

    @Test
    void mintedKeysUseTheCurrentFormatAndTheirTokenVerifies() {
        ApiKeys.Minted minted = ApiKeys.mint(hasher, "key_9", "team_a", "editor", List.of("evaluations:*"));
        ApiKeys.Token token = ApiKeys.parse(minted.token()).orElseThrow();

        assertThat(hasher.isCurrent(minted.record().secretHash())).isTrue();
        assertThat(token.secret()).hasSize(64);
        assertThat(hasher.verify(token.keyId(), token.secret(), minted.record().secretHash())).isEqualTo(Verdict.MATCH);
        assertThat(minted.toString()).doesNotContain(token.secret());
        assertThat(minted.record().toString()).doesNotContain(minted.record().secretHash());
    }

    @Test
    void tokensWithOverlongPartsAreNotParsed() {
        assertThat(ApiKeys.parse("pb." + "k".repeat(ApiKeys.MAX_KEY_ID_LENGTH + 1) + ".s")).isEmpty();
        assertThat(ApiKeys.parse("pb.k." + "s".repeat(ApiKeys.MAX_SECRET_LENGTH + 1))).isEmpty();
        assertThat(ApiKeys.parse("pb." + "k".repeat(ApiKeys.MAX_KEY_ID_LENGTH) + ".s")).isPresent();
    }
}
