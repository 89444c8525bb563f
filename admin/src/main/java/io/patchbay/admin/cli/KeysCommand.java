package io.patchbay.admin.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.patchbay.admin.AdminCli;
import io.patchbay.admin.AdminException;
import io.patchbay.admin.keys.ApiKeyAdmin;
import io.patchbay.admin.keys.ApiKeyInfo;
import io.patchbay.admin.keys.MintRequest;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.Role;
import io.patchbay.store.auth.ApiKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code keys mint|list|revoke|rotate}. A minted token goes to stdout alone, once, so that a script can capture it;
 * everything else goes to stderr. Tokens are never stored (only their hash) and never printed again.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Mint, list, revoke and rotate API keys.")
public final class KeysCommand {

    private static final String REVOCATION_DELAY = "adapters trust a key they verified for up to"
            + " patchbay.api.api-key-cache-ttl, 30 s by default";

    @ParentCommand
    AdminCli root;

    @Spec
    CommandSpec spec;

    private final ApiKeyAdmin keys = new ApiKeyAdmin();

    /** When a key expires: after a duration, at an instant, or never. */
    static final class Expiry {
        @Option(names = "--expires-in", paramLabel = "DURATION", converter = Durations.class,
                description = "expire after this long: 90d, 12h, 30m, P90D")
        Duration in;

        @Option(names = "--expires-at", paramLabel = "INSTANT", description = "expire at this instant, e.g. 2027-01-01T00:00:00Z")
        Instant at;

        static Instant of(Expiry expiry, Instant now) {
            if (expiry == null) {
                return null;
            }
            return expiry.at != null ? expiry.at : now.plus(expiry.in).truncatedTo(ChronoUnit.SECONDS);
        }
    }

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = "Mint a key and print its token (pb.<keyId>.<secret>) once, on stdout.")
    int mint(@Option(names = "--team", required = true, paramLabel = "TEAM_ID") String team,
             @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, editor, admin or owner") String role,
             @Option(names = "--scope", required = true, paramLabel = "SCOPE", split = ",",
                     description = "repeatable or comma-separated: *, evaluations:*, evaluations:read, evaluations:write,"
                             + " automations:*, automations:read, automations:write") List<String> scopes,
             @ArgGroup(exclusive = true) Expiry expiry,
             @Option(names = "--label", paramLabel = "LABEL", description = "what the key is for") String label,
             @Option(names = "--id", paramLabel = "KEY_ID", description = "the public key id (default: a random key_...)") String id) {
        Instant now = Instant.now();
        MintRequest request = new MintRequest(team, role(role), scopes, Expiry.of(expiry, now), label, id);
        ApiKeys.Minted minted = root.jdbi().inTransaction(h -> keys.mint(h, request, now));
        printToken(minted);
        err().println("minted key " + minted.record().id() + " for team " + team + ": role " + minted.record().role()
                + ", scopes " + String.join(",", minted.record().scopes()) + ", expires "
                + (request.expiresAt() == null ? "never" : request.expiresAt()) + ".");
        err().println("The token above is shown once and stored nowhere: keep it now.");
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    int list(@Option(names = "--team", paramLabel = "TEAM_ID", description = "only this team's keys") String team,
             @Option(names = "--json", description = "one JSON object per line") boolean json) {
        Instant now = Instant.now();
        List<ApiKeyInfo> all = root.jdbi().withHandle(h -> keys.list(h, team));
        if (json) {
            all.forEach(k -> out().println(toJson(k, now)));
            return 0;
        }
        Table table = new Table("ID", "TEAM", "ROLE", "SCOPES", "STATUS", "EXPIRES", "CREATED", "LABEL");
        all.forEach(k -> table.row(k.id(), k.teamId(), k.role(), String.join(",", k.scopes()), k.status(now), k.expiresAt(),
                k.createdAt(), k.label().isEmpty() ? null : k.label()));
        table.print(out());
        return 0;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key now.")
    int revoke(@Parameters(paramLabel = "KEY_ID") String keyId) {
        ApiKeyAdmin.Revoked revoked = root.jdbi().inTransaction(h -> keys.revoke(h, keyId));
        out().println(revoked == ApiKeyAdmin.Revoked.REVOKED
                ? "revoked key " + keyId + " (" + REVOCATION_DELAY + ")" : "key " + keyId + " was already revoked, unchanged");
        return 0;
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Replace a key by a new one with the same team, role, scopes and label; print the new token once.")
    int rotate(@Parameters(paramLabel = "KEY_ID") String keyId,
               @Option(names = "--grace", paramLabel = "DURATION", converter = Durations.class, defaultValue = "0s",
                       description = "keep the old key valid this much longer (default: revoke it now)") Duration grace,
               @ArgGroup(exclusive = true) Expiry expiry,
               @Option(names = "--id", paramLabel = "NEW_KEY_ID", description = "the new key's id (default: random)") String id) {
        Instant now = Instant.now();
        ApiKeyAdmin.Rotated rotated = root.jdbi().inTransaction(h -> keys.rotate(h, keyId, grace, Expiry.of(expiry, now), id, now));
        printToken(rotated.minted());
        ApiKeyInfo old = rotated.old();
        err().println("rotated " + keyId + " to " + rotated.minted().record().id() + "; the old key "
                + (old.revokedAt() != null ? "is revoked (" + REVOCATION_DELAY + ")" : "stays valid until " + old.expiresAt()) + ".");
        err().println("The token above is shown once and stored nowhere: keep it now.");
        return 0;
    }

    private void printToken(ApiKeys.Minted minted) {
        out().println(minted.token());
        out().flush();
    }

    private static Role role(String name) {
        return Role.parse(name).orElseThrow(() -> new AdminException("unknown role '" + name + "' (viewer, editor, admin or owner)"));
    }

    private static ObjectNode toJson(ApiKeyInfo k, Instant now) {
        ObjectNode json = JsonValues.MAPPER.createObjectNode().put("id", k.id()).put("team", k.teamId()).put("role", k.role());
        k.scopes().forEach(json.putArray("scopes")::add);
        return json.put("status", k.status(now)).put("label", k.label()).put("createdAt", k.createdAt().toString())
                .put("expiresAt", k.expiresAt() == null ? null : k.expiresAt().toString())
                .put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
