package io.patchbay.devstack.auth;

import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.auth.SecretHasher;

/**
 * API keys on the real adapter and database: keys minted now are HMAC hashes with the adapter's pepper; keys stored
 * before it in the PBKDF2 format keep working and are re-hashed on first use, so nobody is locked out.
 */
class ApiKeyVerificationIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final String EVALUATION = "/api/v1/evaluations/eval_acme_draft";

    @Test
    void aLegacyPbkdf2KeyKeepsWorkingAndIsRehashedOnItsFirstUse() {
        String keyId = "legacy_" + UUID.randomUUID().toString().replace("-", "");
        String secret = UUID.randomUUID().toString();
        fx.jdbi().useHandle(h -> new ApiKeyRepository().insert(h, new ApiKeyRecord(keyId, DemoData.ACME,
                SecretHasher.hash(secret, SecretHasher.API_KEY_ITERATIONS), "viewer", List.of("evaluations:read"), null, null),
                "test"));
        String token = "pb." + keyId + "." + secret;

        HttpResponse<String> first = fx.http().send("GET", EVALUATION, token, null);
        String stored = storedHash(keyId);
        HttpResponse<String> second = fx.http().send("GET", EVALUATION, token, null);
        HttpResponse<String> wrong = fx.http().send("GET", EVALUATION, "pb." + keyId + ".not-" + secret, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(stored).startsWith(ApiKeyHasher.PREFIX + "$").doesNotContain(secret);
        assertThat(PatchbayApps.apiKeyHasher().verify(keyId, secret, stored)).isEqualTo(ApiKeyHasher.Verdict.MATCH);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"type\":\"authentication_error\"").doesNotContain(secret);
    }

    @Test
    void aMintedKeyIsStoredAsAnHmacThatTheAdapterAcceptsAndNeverAsItsSecret() {
        String token = fx.insertKey(DemoData.ACME, "viewer", List.of("evaluations:read"), false);
        ApiKeys.Token parsed = ApiKeys.parse(token).orElseThrow();

        HttpResponse<String> answer = fx.http().send("GET", EVALUATION, token, null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(storedHash(parsed.keyId())).startsWith(ApiKeyHasher.PREFIX + "$" + PatchbayApps.apiKeyHasher().pepperId() + "$")
                .doesNotContain(parsed.secret());
    }

    @Test
    void aKeyHashedWithAnotherPepperIsAnInvalidKeyNotAServerError() {
        ApiKeys.Minted minted = ApiKeys.mint(ApiKeyHasher.fromSettings("not-the-adapters-pepper", null),
                "other_pepper_" + UUID.randomUUID().toString().replace("-", ""), DemoData.ACME, "viewer", List.of("evaluations:read"));
        fx.jdbi().useHandle(h -> new ApiKeyRepository().insert(h, minted.record(), "test"));

        HttpResponse<String> answer = fx.http().send("GET", EVALUATION, minted.token(), null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("Invalid API key provided.");
    }

    private static String storedHash(String keyId) {
        return fx.jdbi().withHandle(h -> new ApiKeyRepository().find(h, keyId)).orElseThrow().secretHash();
    }
}
