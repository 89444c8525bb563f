package io.patchbay.admin.teams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.patchbay.admin.testing.AdminDatabase;
import io.patchbay.admin.testing.AdminDatabase.Run;

/** {@code teams create|list} against a real PostgreSQL. */
class TeamCommandsIT {

    private final AdminDatabase db = AdminDatabase.create("teams");

    @Test
    void createIsIdempotentAndRefusesToRenameATeam() {
        Run created = db.admin("teams", "create", "team_acme", "--name", "Acme Corp");
        Run again = db.admin("teams", "create", "team_acme", "--name", "Acme Corp");
        Run renamed = db.admin("teams", "create", "team_acme", "--name", "Acme Inc");

        assertThat(created.status()).isZero();
        assertThat(created.out()).isEqualTo("created team team_acme\n");
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("exists, unchanged");
        assertThat(renamed.status()).isEqualTo(1);
        assertThat(renamed.err()).contains("exists with another name ('Acme Corp')");
        assertThat(db.strings("select name from team"))
                .containsExactly("Acme Corp");
    }

    @Test
    void badTeamIdsAndNamesAreRefused() {
        assertThat(db.admin("teams", "create", "team/acme", "--name", "Acme").err()).contains("team id 'team/acme' must be");
        assertThat(db.admin("teams", "create", "team_acme", "--name", " ").err()).contains("team name must be");
        assertThat(db.admin("teams", "create", "team_acme").status()).isEqualTo(2);
        assertThat(db.count("team")).isZero();
    }

    @Test
    void listShowsEachTeamWithItsActiveKeysAndResources() {
        db.admin("teams", "create", "team_acme", "--name", "Acme");
        db.admin("teams", "create", "team_globex", "--name", "Globex");
        db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*");
        db.admin("keys", "mint", "--team", "team_acme", "--role", "editor", "--scope", "*", "--id", "acme_revoked");
        db.admin("keys", "revoke", "acme_revoked");

        Run table = db.admin("teams", "list");
        Run json = db.admin("teams", "list", "--json");

        assertThat(table.outLines()).hasSize(3);
        assertThat(table.outLines().get(1)).matches("team_acme\\s+Acme\\s+1\\s+0\\s+\\S+");
        assertThat(table.outLines().get(2)).matches("team_globex\\s+Globex\\s+0\\s+0\\s+\\S+");
        assertThat(json.outLines().get(0)).contains("\"id\":\"team_acme\"").contains("\"activeApiKeys\":1");
    }
}
