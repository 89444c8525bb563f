package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * api-contract §1.1 and §3.4: authentication, scopes (literal, family wildcard, {@code *}; checked before the
 * role), roles by field presence, the stored {@code editorsCanShare} restriction (state level, so a stored
 * outcome), and team isolation (another team's evaluation is exactly a missing one).
 */
class EvaluationAuthorizationIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final String FUTURE = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();

    private static HttpResponse<String> patch(String id, String token, String body) {
        return fx.http().patchEvaluation(id, token, body).send();
    }

    private static HttpResponse<String> get(String id, String token) {
        return fx.http().call("GET", "/api/v1/evaluations/" + id).token(token).send();
    }

    // ---- 401 ----

    static Stream<Arguments> credentials() {
        String valid = fx.token("acme_owner");
        String revoked = fx.data().newApiKey(DemoData.ACME, "owner", List.of("*"), null, Instant.now().minusSeconds(60));
        String expired = fx.data().newApiKey(DemoData.ACME, "owner", List.of("*"), Instant.now().minusSeconds(60), null);
        String missing = "No API key provided.";
        String invalid = "Invalid API key provided.";
        return Stream.of(
                Arguments.of("no header", null, missing),
                Arguments.of("Basic scheme", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", missing),
                Arguments.of("token without scheme", valid, missing),
                Arguments.of("scheme only", "Bearer", missing),
                Arguments.of("malformed token", "Bearer not-a-key", invalid),
                Arguments.of("wrong secret", "Bearer pb.acme_owner.wrong-secret", invalid),
                Arguments.of("unknown key", "Bearer pb.key_that_does_not_exist.secret", invalid),
                Arguments.of("revoked key", "Bearer " + revoked, invalid),
                Arguments.of("expired key", "Bearer " + expired, invalid),
                Arguments.of("SQL in the key id", "Bearer pb.x' or '1'='1.secret", invalid));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void badCredentialsAre401WithWwwAuthenticateOnGetAndPatch(String label, String authorization, String message) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        for (String method : List.of("GET", "PATCH")) {
            ApiClient.Call call = fx.http().call(method, "/api/v1/evaluations/" + id);
            if (authorization != null) {
                call.header("Authorization", authorization);
            }
            if (method.equals("PATCH")) {
                call.json("{\"name\":\"should not apply\"}");
            }
            HttpResponse<String> response = call.send();

            JsonNode error = assertError(response, 401, "authentication_error", null, null);
            assertThat(error.get("message").stringValue()).isEqualTo(message);
            assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
        }
        before.assertRefusedAtTheEdge();
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("GET", "/api/v1/evaluations/" + id)
                .header("Authorization", "bearer " + fx.token("acme_viewer")).send();

        assertThat(response.statusCode()).isEqualTo(200);
    }

    // ---- scopes, checked before the role ----

    static Stream<Arguments> scopes() {
        return Stream.of(
                Arguments.of(List.of("evaluations:read"), 200, 403),
                Arguments.of(List.of("evaluations:write"), 403, 200),
                Arguments.of(List.of("evaluations:read", "evaluations:write"), 200, 200),
                Arguments.of(List.of("evaluations:*"), 200, 200),
                Arguments.of(List.of("*"), 200, 200),
                Arguments.of(List.of("automations:*"), 403, 403),
                Arguments.of(List.of("automations:read", "automations:write"), 403, 403),
                Arguments.of(List.of("evaluations"), 403, 403),
                Arguments.of(List.of("evaluations:read:*"), 403, 403),
                Arguments.of(List.of(), 403, 403));
    }

    @ParameterizedTest(name = "{0}: GET {1}, PATCH {2}")
    @MethodSource("scopes")
    void scopesGrantLiterallyByFamilyWildcardOrStar(List<String> scopes, int getStatus, int patchStatus) {
        String token = fx.data().newApiKey(DemoData.ACME, "editor", scopes, null, null);
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> got = get(id, token);
        HttpResponse<String> patched = patch(id, token, "{\"name\":\"scoped\"}");

        if (getStatus == 200) {
            assertThat(got.statusCode()).isEqualTo(200);
        } else {
            JsonNode error = assertError(got, 403, "authorization_error", "missing_required_scope", null);
            assertThat(error.get("message").stringValue()).isEqualTo("Missing required scope: evaluations:read");
        }
        if (patchStatus == 200) {
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(fx.kafka().evaluationChanges(id)).hasSize(1);
        } else {
            JsonNode error = assertError(patched, 403, "authorization_error", "missing_required_scope", null);
            assertThat(error.get("message").stringValue()).isEqualTo("Missing required scope: evaluations:write");
            before.assertRefusedAtTheEdge();
        }
    }

    @Test
    void theScopeIsCheckedBeforeTheRole() {
        String readOnlyViewer = fx.data().newApiKey(DemoData.ACME, "viewer", "evaluations:read");
        String id = fx.data().newEvaluation(DemoData.ACME);

        assertError(patch(id, readOnlyViewer, "{\"type\":\"SSE\"}"), 403, "authorization_error", "missing_required_scope", null);
        assertError(patch(id, fx.token("acme_readonly"), "{\"type\":\"SSE\"}"), 403, "authorization_error", "missing_required_scope", null);
    }

    // ---- roles, by field presence (request level) ----

    @Test
    void viewersReadButNeverPatch() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        assertThat(get(id, fx.token("acme_viewer")).statusCode()).isEqualTo(200);
        for (String body : List.of("{\"name\":\"x\"}", "{}", "{\"bogus\":1}")) {
            JsonNode error = assertError(patch(id, fx.token("acme_viewer"), body), 403, "authorization_error", null, null);
            assertThat(error.get("message").stringValue()).isEqualTo("API keys with the viewer role cannot modify evaluations.");
        }
        before.assertRefusedAtTheEdge();
    }

    static Stream<Arguments> adminFields() {
        return Stream.of(
                Arguments.of("{\"type\":\"SxS\"}", "type"),
                Arguments.of("{\"type\":\"SSE\"}", "type"),
                Arguments.of("{\"teamId\":\"team_acme\"}", "teamId"),
                Arguments.of("{\"shareAccess\":\"TEAM_ONLY\"}", "shareAccess"),
                Arguments.of("{\"shareAccess\":\"ANYONE_WITH_LINK\"}", "shareAccess"),
                Arguments.of("{\"sharePassword\":\"open-sesame\"}", "sharePassword"),
                Arguments.of("{\"editorsCanShare\":true}", "editorsCanShare"),
                Arguments.of("{\"name\":\"ok\",\"editorsCanShare\":false,\"type\":\"SSE\"}", "editorsCanShare"),
                Arguments.of("{\"description\":\"d\",\"sharePassword\":\"x\",\"teamId\":\"team_acme\"}", "sharePassword"),
                // the role check (step 7) comes before the strict schema (step 9)
                Arguments.of("{\"type\":\"not-a-type\"}", "type"),
                Arguments.of("{\"bogus\":1,\"teamId\":\"team_globex\"}", "teamId"));
    }

    @ParameterizedTest(name = "editor {0} -> 403 {1}")
    @MethodSource("adminFields")
    void adminOnlyFieldsNeedAdminByPresenceNotValue(String body, String param) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        JsonNode error = assertError(patch(id, fx.token("acme_editor"), body), 403, "authorization_error", null, param);

        assertThat(error.get("message").stringValue()).isEqualTo("Changing " + param + " requires the admin or owner role.");
        before.assertRefusedAtTheEdge();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"acme_admin", "acme_owner"})
    void adminsAndOwnersMayChangeAdminOnlyFields(String key) {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = patch(id, fx.token(key),
                "{\"type\":\"SSE\",\"teamId\":\"team_acme\",\"shareAccess\":\"ANYONE_WITH_LINK\",\"editorsCanShare\":false}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fx.kafka().evaluationChanges(id)).singleElement().satisfies(event ->
                assertThat(event.getChangedFields()).containsExactly("type", "shareAccess", "editorsCanShare"));
    }

    // ---- editorsCanShare = false: every share* field needs admin+, decided on stored state ----

    static Stream<Arguments> shareFieldsForEditors() {
        return Stream.of(
                Arguments.of("{\"shareRequireEmail\":true}", "shareRequireEmail"),
                Arguments.of("{\"shareRequireName\":false}", "shareRequireName"),
                Arguments.of("{\"shareAllowAnon\":true}", "shareAllowAnon"),
                Arguments.of("{\"shareExpiry\":\"" + FUTURE + "\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":null}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":\"\"}", "shareExpiry"),
                Arguments.of("{\"name\":\"renamed\",\"shareAllowAnon\":true,\"shareRequireEmail\":true}", "shareAllowAnon"));
    }

    @ParameterizedTest(name = "editor {0} -> 403 {1}")
    @MethodSource("shareFieldsForEditors")
    void editorsCanShareFalseMakesShareFieldsAdminOnly(String body, String param) {
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b.setEditorsCanShare(false));
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> refused = patch(id, fx.token("acme_editor"), body);

        JsonNode error = assertError(refused, 403, "authorization_error", null, param);
        assertThat(error.get("message").stringValue())
                .isEqualTo("Changing " + param + " requires the admin or owner role while editorsCanShare is false.");
        before.assertUnchanged();
        assertThat(EvaluationChecks.commandsOnKafka(fx)).as("a state-level check: the command went to the processor")
                .isEqualTo(before.commands() + 1);

        HttpResponse<String> asAdmin = patch(id, fx.token("acme_admin"), body);
        assertThat(asAdmin.statusCode()).as(asAdmin.body()).isEqualTo(200);
    }

    @Test
    void editorsCanShareOnlyRestrictsShareFields() {
        String locked = fx.data().newEvaluation(DemoData.ACME, b -> b.setEditorsCanShare(false));
        String open = fx.data().newEvaluation(DemoData.ACME);

        assertThat(patch(locked, fx.token("acme_editor"), "{\"name\":\"fine\",\"allowMultipleRatings\":true}").statusCode()).isEqualTo(200);
        assertThat(patch(open, fx.token("acme_editor"), "{\"shareRequireEmail\":true,\"shareExpiry\":\"" + FUTURE + "\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void theEditorsCanShareRefusalIsAStoredOutcome() {
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b.setEditorsCanShare(false));
        String key = "ecs-" + System.nanoTime();

        HttpResponse<String> first = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .json("{\"shareRequireEmail\":true}").header("Idempotency-Key", key).send();
        fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_admin")).json("{\"editorsCanShare\":true}").send();
        HttpResponse<String> retry = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .json("{\"shareRequireEmail\":true}").header("Idempotency-Key", key).send();

        assertError(first, 403, "authorization_error", null, "shareRequireEmail");
        assertThat(retry.statusCode()).isEqualTo(403);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(fx.data().storedEvaluation(id).orElseThrow().state().getShareRequireEmail()).isFalse();
    }

    // ---- teams ----

    @Test
    void anotherTeamsEvaluationIsExactlyAMissingOne() {
        String globex = fx.data().newEvaluation(DemoData.GLOBEX);
        String missing = "eval_missing_" + System.nanoTime();
        EvaluationChecks.Before before = before(fx, globex);

        for (String method : List.of("GET", "PATCH")) {
            HttpResponse<String> other = method.equals("GET") ? get(globex, fx.token("acme_owner"))
                    : patch(globex, fx.token("acme_owner"), "{\"name\":\"stolen\"}");
            HttpResponse<String> none = method.equals("GET") ? get(missing, fx.token("acme_owner"))
                    : patch(missing, fx.token("acme_owner"), "{\"name\":\"stolen\"}");

            JsonNode otherError = assertError(other, 404, "not_found_error", "evaluation_not_found", null);
            JsonNode noneError = assertError(none, 404, "not_found_error", "evaluation_not_found", null);
            assertThat(otherError.get("message").stringValue()).isEqualTo("No evaluation found with id '" + globex + "'.");
            assertThat(noneError.get("message").stringValue()).isEqualTo("No evaluation found with id '" + missing + "'.");
            assertThat(other.body().replace(globex, "ID").replaceAll("\"request_id\":\"[^\"]+\"", ""))
                    .isEqualTo(none.body().replace(missing, "ID").replaceAll("\"request_id\":\"[^\"]+\"", ""));
        }
        before.assertUnchanged();
        assertThat(patch(globex, fx.token("globex_owner"), "{\"name\":\"own team\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void teamIdCannotMoveAnEvaluation() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        assertError(patch(id, fx.token("acme_owner"), "{\"teamId\":\"team_globex\"}"), 400, "invalid_request_error", null, "teamId");

        before.assertRefusedAtTheEdge();
        assertThat(patch(id, fx.token("acme_owner"), "{\"teamId\":\"team_acme\"}").statusCode()).isEqualTo(200);
        before.assertUnchanged();
    }
}
