package io.patchbay.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.admin.keys.ApiKeyAdmin;
import io.patchbay.admin.keys.MintRequest;
import io.patchbay.admin.resources.ImportReport;
import io.patchbay.admin.resources.ResourceImport;
import io.patchbay.admin.resources.SourceLine;
import io.patchbay.admin.teams.Teams;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.jdbi.StorePlugin;
import tools.jackson.databind.JsonNode;

/**
 * Demo data: two teams, so that isolation can be tried at once. Team {@code team_acme} has a key per role plus a
 * read-only key; both teams have evaluations in every status, evaluators, a condition and automations
 * ({@code demo-resources.jsonl}, an example of the import format). It goes through {@code patchbay-admin}'s own code
 * (teams, key minting, resource import), so every devstack start exercises it. Key secrets are fixed so that the
 * printed curl commands keep working with {@code --keep-data}.
 */
public final class DemoData {

    /** A demo API key. */
    public record Key(String token, String keyId, String teamId, String role, List<String> scopes) {
    }

    /** A demo resource. */
    public record Resource(String type, String id, String slug, String teamId, String note) {
    }

    /** Everything seeded. */
    public record Facts(List<Key> keys, List<Resource> resources) {

        public Key key(String keyId) {
            return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
        }
    }

    public static final String ACME = "team_acme";
    public static final String GLOBEX = "team_globex";
    private static final String RESOURCES = "demo-resources.jsonl";
    private static final List<String> ALL_SCOPES = List.of(Scopes.EVALUATIONS_ALL, Scopes.AUTOMATIONS_ALL);

    private DemoData() {
    }

    /**
     * Seeds unless already seeded (a {@code --keep-data} database keeps what was done to the demo resources), in one
     * transaction, and returns the facts either way. Installs the store's Jdbi plugin on {@code jdbi} if it lacks it.
     */
    public static Facts seed(Jdbi jdbi) {
        jdbi.installPlugin(new StorePlugin());
        List<SourceLine> lines = SourceLine.of(RESOURCES, resourceText());
        List<Key> keys = keys();
        Instant now = Instant.now();
        jdbi.useTransaction(h -> {
            Teams teams = new Teams();
            if (teams.find(h, ACME).isPresent()) {
                return;
            }
            teams.create(h, ACME, "Acme (demo)");
            teams.create(h, GLOBEX, "Globex (demo)");
            ApiKeyAdmin admin = new ApiKeyAdmin();
            for (Key key : keys) {
                String secret = key.token().substring(key.token().lastIndexOf('.') + 1);
                admin.mintWithSecret(h, new MintRequest(key.teamId(), Role.parse(key.role()).orElseThrow(), key.scopes(),
                        null, "demo", key.keyId()), secret, now);
            }
            ImportReport report = new ResourceImport().apply(h, lines, now);
            if (!report.ok()) {
                throw new IllegalStateException("the demo data does not import: " + report.failures().stream()
                        .map(ImportReport.LineResult::describe).collect(Collectors.joining("; ")));
            }
        });
        return new Facts(keys, lines.stream().map(DemoData::resource).toList());
    }

    private static List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        for (String role : List.of("viewer", "editor", "admin", "owner")) {
            keys.add(key("acme_" + role, ACME, role, ALL_SCOPES));
        }
        keys.add(key("acme_readonly", ACME, "editor", List.of(Scopes.EVALUATIONS_READ, Scopes.AUTOMATIONS_READ)));
        keys.add(key("globex_owner", GLOBEX, "owner", List.of(Scopes.ALL)));
        return keys;
    }

    private static Key key(String keyId, String team, String role, List<String> scopes) {
        return new Key("pb." + keyId + ".devstack-" + keyId.replace('_', '-') + "-secret", keyId, team, role, scopes);
    }

    /** What the banner and {@code devstack.json} say about a demo resource: its status, or whether it is enabled. */
    private static Resource resource(SourceLine line) {
        JsonNode json = JsonValues.MAPPER.readTree(line.text());
        String kind = json.get("kind").stringValue();
        JsonNode slug = json.get(kind + "_slug");
        String note = switch (kind) {
            case "evaluation" -> json.get("status").stringValue();
            case "automation" -> json.get("is_enabled").booleanValue() ? "enabled" : "disabled";
            default -> "";
        };
        return new Resource(kind, json.get("id").stringValue(), slug == null ? null : slug.stringValue(),
                json.get("team").stringValue(), note);
    }

    private static String resourceText() {
        try (InputStream in = DemoData.class.getResourceAsStream(RESOURCES)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
