package io.patchbay.adapter.auth;

import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;

/** Where {@link ApiKeyAuthenticator} reads keys and re-hashes a legacy one: PostgreSQL, through {@link ApiKeyRepository}. */
public interface ApiKeyStore {

    Optional<ApiKeyRecord> find(String keyId);

    /** Stores {@code newHash} for the key if its hash is still {@code oldHash}. */
    void replaceSecretHash(String keyId, String oldHash, String newHash);

    /** The store of the adapter's database. */
    static ApiKeyStore of(Jdbi jdbi) {
        ApiKeyRepository keys = new ApiKeyRepository();
        return new ApiKeyStore() {
            @Override
            public Optional<ApiKeyRecord> find(String keyId) {
                return jdbi.withHandle(h -> keys.find(h, keyId));
            }

            @Override
            public void replaceSecretHash(String keyId, String oldHash, String newHash) {
                jdbi.useHandle(h -> keys.replaceSecretHash(h, keyId, oldHash, newHash));
            }
        };
    }
}
