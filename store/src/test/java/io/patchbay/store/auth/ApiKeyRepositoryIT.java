package io.patchbay.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.store.team.TeamRepository;
import io.patchbay.store.testing.StoreExtension;

/** API keys read back with their scopes and validity, one at a time or all of a batch's actors in one query. */
class ApiKeyRepositoryIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00.000001Z");

    private final Handle h = store.handle();
    private final ApiKeyRepository keys = new ApiKeyRepository();

    @Test
    void aKeyReadsBackWithItsScopesAndValidity() {
        ApiKeyRecord stored = new ApiKeyRecord("k1", "team_a", "hash", "editor",
                List.of("evaluations:write", "automations:*"), EXPIRES, null);
        store.useTransaction(h -> {
            new TeamRepository().insert(h, "team_a", "A");
            keys.insert(h, stored, "test key");
        });

        ApiKeyRecord read = keys.find(h, "k1").orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(stored);
        assertThat(read.activeAt(EXPIRES.minusSeconds(1))).isTrue();
        assertThat(read.activeAt(EXPIRES)).isFalse();
        assertThat(keys.findAll(h, List.of("k1", "unknown"))).containsOnlyKeys("k1");
    }
}
