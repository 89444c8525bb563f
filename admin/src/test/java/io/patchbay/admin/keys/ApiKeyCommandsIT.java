package io.patchbay.admin.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.patchbay.admin.testing.AdminDatabase;
import io.patchbay.admin.testing.AdminDatabase.Run;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.auth.SecretHasher;

/** {@code keys mint|list|revoke|rotate} against a real PostgreSQL, checked the way the apps verify keys. */
class ApiKeyCommandsIT {

    private static AdminDatabase db;

    @BeforeAll
    static void team() {
        db = AdminDatabase.create("keys");
        assertThat(db.admin("teams", "create", "team_acme", "--name", "Acme").status()).isZero();
    }

    @Test
    void mintPrintsTheTokenOnceOnStdoutAndStoresOnlyItsHash() {
        Run run = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "evaluations:*,automations:read",
                "--label", "ci deploys", "--id", "acme_ci");

        assertThat(run.status()).isZero();
        assertThat(run.outLines()).hasSize(1);
        String token = run.outLines().get(0);
        assertThat(token).startsWith("pb.acme_ci.");
        ApiKeys.Token parsed = ApiKeys.parse(token).orElseThrow();
        ApiKeyRecord stored = stored("acme_ci");
        assertThat(SecretHasher.verify(parsed.secret(), stored.secretHash())).isTrue();
        assertThat(stored.activeAt(Instant.now())).isTrue();
        assertThat(stored.role()).isEqualTo("editor");
        assertThat(stored.scopes()).containsExactly("evaluations:*", "automations:read");
        String row = db.strings("select k::text from api_key k where id = 'acme_ci'").get(0);
        assertThat(row).doesNotContain(parsed.secret()).contains("ci deploys");
        assertThat(run.err()).doesNotContain(parsed.secret()).contains("shown once");
    }

    @Test
    void listShowsEveryKeyWithItsStatusButNeverASecretOrHash() {
        String token = db.admin("keys", "mint", "--team", "team_acme", "--role", "viewer", "--scope", "*", "--id", "acme_listed")
                .outLines().get(0);
        db.admin("keys", "mint", "--team", "team_acme", "--role", "owner", "--scope", "*", "--id", "acme_gone");
        db.admin("keys", "revoke", "acme_gone");

        Run table = db.admin("keys", "list", "--team", "team_acme");
        Run json = db.admin("keys", "list", "--json");

        assertThat(table.status()).isZero();
        assertThat(table.outLines().get(0)).startsWith("ID").contains("STATUS");
        assertThat(table.outLines()).anySatisfy(l -> assertThat(l).startsWith("acme_listed").contains("viewer").contains("active"));
        assertThat(table.outLines()).anySatisfy(l -> assertThat(l).startsWith("acme_gone").contains("revoked"));
        String secret = ApiKeys.parse(token).orElseThrow().secret();
        String hash = stored("acme_listed").secretHash();
        for (Run run : List.of(table, json)) {
            assertThat(run.out()).doesNotContain(secret).doesNotContain(hash).doesNotContain("pbkdf2");
        }
        assertThat(json.outLines()).anySatisfy(l -> assertThat(l).contains("\"id\":\"acme_listed\"").contains("\"status\":\"active\""));
    }

    @Test
    void revokeEndsTheKeyAndRevokingAgainChangesNothing() {
        db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*", "--id", "acme_revoked");

        Run first = db.admin("keys", "revoke", "acme_revoked");
        Instant revokedAt = stored("acme_revoked").revokedAt();
        Run second = db.admin("keys", "revoke", "acme_revoked");

        assertThat(first.status()).isZero();
        assertThat(first.out()).contains("revoked key acme_revoked");
        assertThat(revokedAt).isNotNull();
        assertThat(stored("acme_revoked").activeAt(Instant.now())).isFalse();
        assertThat(second.status()).isZero();
        assertThat(second.out()).contains("already revoked");
        assertThat(stored("acme_revoked").revokedAt()).isEqualTo(revokedAt);
    }

    @Test
    void rotateMintsAKeyWithTheSameTeamRoleScopesAndLabelAndRevokesTheOldOne() {
        String oldToken = db.admin("keys", "mint", "--team", "team_acme", "--role", "admin", "--scope", "evaluations:write",
                "--label", "nightly", "--id", "acme_old").outLines().get(0);

        Run rotated = db.admin("keys", "rotate", "acme_old", "--id", "acme_new");

        assertThat(rotated.status()).isZero();
        String newToken = rotated.outLines().get(0);
        assertThat(newToken).startsWith("pb.acme_new.").isNotEqualTo(oldToken);
        ApiKeyRecord fresh = stored("acme_new");
        assertThat(SecretHasher.verify(ApiKeys.parse(newToken).orElseThrow().secret(), fresh.secretHash())).isTrue();
        assertThat(fresh.role()).isEqualTo("admin");
        assertThat(fresh.scopes()).containsExactly("evaluations:write");
        assertThat(label("acme_new")).isEqualTo("nightly");
        assertThat(stored("acme_old").activeAt(Instant.now())).isFalse();
        assertThat(db.admin("keys", "rotate", "acme_old").status()).isEqualTo(1);
    }

    @Test
    void rotateWithGraceKeepsTheOldKeyValidUntilTheGraceEnds() {
        db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*", "--id", "acme_graced");

        Run rotated = db.admin("keys", "rotate", "acme_graced", "--grace", "1h");

        assertThat(rotated.status()).isZero();
        ApiKeyRecord old = stored("acme_graced");
        assertThat(old.revokedAt()).isNull();
        assertThat(old.activeAt(Instant.now())).isTrue();
        assertThat(old.activeAt(Instant.now().plus(Duration.ofMinutes(61)))).isFalse();
        assertThat(rotated.err()).contains("stays valid until");
    }

    @Test
    void mintWithExpiryStoresIt() {
        Run run = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*", "--expires-in", "2d",
                "--id", "acme_expiring");

        assertThat(run.status()).isZero();
        ApiKeyRecord stored = stored("acme_expiring");
        assertThat(stored.expiresAt()).isBetween(Instant.now().plus(Duration.ofHours(47)), Instant.now().plus(Duration.ofHours(49)));
    }

    @Test
    void badMintRequestsAreRefusedWithAReasonAndWriteNothing() {
        int before = keyCount();

        Run unknownScope = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "evaluations:delete");
        Run unknownRole = db.admin("keys", "mint", "--team", "team_acme", "--role", "superuser", "--scope", "*");
        Run unknownTeam = db.admin("keys", "mint", "--team", "team_nobody", "--role", "editor", "--scope", "*");
        Run pastExpiry = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*",
                "--expires-at", "2020-01-01T00:00:00Z");
        Run dottedId = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*", "--id", "a.b");
        Run bothExpiries = db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*",
                "--expires-in", "1d", "--expires-at", "2030-01-01T00:00:00Z");

        assertThat(unknownScope.err()).contains("unknown scope 'evaluations:delete'");
        assertThat(unknownRole.err()).contains("unknown role 'superuser'");
        assertThat(unknownTeam.err()).contains("team team_nobody does not exist");
        assertThat(pastExpiry.err()).contains("not in the future");
        assertThat(dottedId.err()).contains("key id 'a.b'");
        for (Run run : List.of(unknownScope, unknownRole, unknownTeam, pastExpiry, dottedId)) {
            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
        }
        assertThat(bothExpiries.status()).isEqualTo(2);
        assertThat(keyCount()).isEqualTo(before);
    }

    private static ApiKeyRecord stored(String id) {
        return db.jdbi.withHandle(h -> new ApiKeyRepository().find(h, id)).orElseThrow();
    }

    private static String label(String id) {
        return db.strings("select label from api_key where id = '" + id + "'").get(0);
    }

    private static int keyCount() {
        return db.count("api_key");
    }
}
