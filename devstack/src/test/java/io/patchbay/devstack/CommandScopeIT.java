package io.patchbay.devstack;

import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/commands/{id}} checks the scope before looking for the command (api-contract §1.1, §5): a key
 * with neither scope of the command's family gets 403, not the 404 of a missing command; another team's command and
 * an unknown id stay 404.
 */
class CommandScopeIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void aKeyWithOnlyTheOtherFamilysScopesIsRefused403AndTheOwnerSeesTheCommand() {
        String evaluation = fx.data().newEvaluation(DemoData.ACME);
        HttpResponse<String> accepted = fx.http().send("PATCH", "/api/v1/evaluations/" + evaluation, fx.token("acme_editor"),
                "{\"name\":\"scoped\"}", "Prefer", "respond-async");
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String path = location.substring(location.indexOf("/api/v1/commands/"));

        HttpResponse<String> automationsOnly = fx.http().send("GET", path, fx.data().newApiKey(DemoData.ACME, "owner", "automations:*"), null);
        HttpResponse<String> evaluationsReader = fx.http().send("GET", path, fx.data().newApiKey(DemoData.ACME, "viewer", "evaluations:read"), null);
        HttpResponse<String> otherTeam = fx.http().send("GET", path, fx.token("globex_owner"), null);

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(automationsOnly.statusCode()).isEqualTo(403);
        JsonNode error = JsonValues.MAPPER.readTree(automationsOnly.body()).get("error");
        assertThat(error.get("type").stringValue()).isEqualTo("authorization_error");
        assertThat(error.get("code").stringValue()).isEqualTo("missing_required_scope");
        assertThat(error.get("message").stringValue()).contains("evaluations:read");
        assertThat(evaluationsReader.statusCode()).isEqualTo(200);
        assertThat(otherTeam.statusCode()).isEqualTo(404);
    }

    @Test
    void aKeyWithoutAnyCommandFamilyScopeIsRefused403BeforeAnyLookup() {
        String token = fx.data().newApiKey(DemoData.ACME, "owner", "reports:read");

        HttpResponse<String> unknown = fx.http().send("GET", "/api/v1/commands/01968f3e-7c2b-7f00-8a11-3c4d5e6f7a8b", token, null);

        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).contains("missing_required_scope");
    }
}
