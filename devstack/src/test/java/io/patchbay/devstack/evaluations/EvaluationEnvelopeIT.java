package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static io.patchbay.devstack.evaluations.EvaluationChecks.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
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
 * The HTTP envelope of the Autousers routes (api-contract §1.2, §1.3, §3.2, §3.7, §3.8): X-Request-Id on every
 * response, Autousers-Version validated and echoed, the error envelope for failures Spring and Tomcat decide
 * themselves (route, method, content type, size), and which check wins when a request fails several.
 */
class EvaluationEnvelopeIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    // ---- X-Request-Id and Autousers-Version on every kind of response ----

    @Test
    void everyResponseCarriesAFreshUuidV7RequestIdAndTheVersion() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String path = "/api/v1/evaluations/" + id;
        List<HttpResponse<String>> responses = List.of(
                fx.http().call("GET", path).token(fx.token("acme_viewer")).send(),
                fx.http().call("PATCH", path).token(fx.token("acme_editor")).json("{\"name\":\"a\"}").send(),
                fx.http().call("PATCH", path).token(fx.token("acme_editor")).json("{\"name\":\"b\"}").header("Prefer", "respond-async").send(),
                fx.http().call("PATCH", path).token(fx.token("acme_editor")).json("{\"name\":\"\"}").send(),
                fx.http().call("PATCH", path).json("{}").send(),
                fx.http().call("PATCH", path).token(fx.token("acme_viewer")).json("{}").send(),
                fx.http().call("GET", "/api/v1/evaluations/nope").token(fx.token("acme_viewer")).send(),
                fx.http().call("DELETE", path).token(fx.token("acme_owner")).send(),
                fx.http().call("GET", "/api/v1/unknown").send(),
                fx.http().call("GET", "/api/v1/commands/nope").token(fx.token("acme_viewer")).send());
        Set<String> ids = new HashSet<>();

        for (HttpResponse<String> response : responses) {
            String requestId = requestId(response);
            assertThat(ids.add(requestId)).as("unique request id").isTrue();
            assertThat(response.headers().allValues("Autousers-Version")).as(response.body()).containsExactly(EvaluationChecks.VERSION);
        }
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 202, 400, 401, 403, 404, 405, 404, 404);
    }

    @Test
    void aClientRequestIdIsIgnored() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .header("X-Request-Id", "client-chosen").json("{\"name\":\"\"}").send();

        assertError(response, 400, "invalid_request_error", null, "name");
        assertThat(response.body()).doesNotContain("client-chosen");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-5-4", "05/04/2026", "2026-02-30", "latest", "2026-05-04T00:00:00Z", "", "2025-01-01", "2026-05-05"})
    void invalidOrUnsupportedVersionsAre400WithoutAnEcho(String version) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        ApiClient.RawResponse get = fx.http().raw("GET /api/v1/evaluations/" + id + " HTTP/1.1\r\nAuthorization: Bearer "
                + fx.token("acme_viewer") + "\r\nAutousers-Version: " + version, new byte[0]);
        ApiClient.RawResponse patch = fx.http().raw("PATCH /api/v1/evaluations/" + id + " HTTP/1.1\r\nAuthorization: Bearer "
                + fx.token("acme_editor") + "\r\nContent-Type: application/json\r\nAutousers-Version: " + version,
                "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        for (ApiClient.RawResponse response : List.of(get, patch)) {
            assertError(response, 400, "invalid_request_error", null, "Autousers-Version");
            assertThat(response.headers("Autousers-Version")).isEmpty();
        }
        before.assertRefusedAtTheEdge();
    }

    @Test
    void theCurrentVersionSentExplicitlyIsAccepted() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer"))
                .header("Autousers-Version", EvaluationChecks.VERSION).send();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Autousers-Version")).containsExactly(EvaluationChecks.VERSION);
    }

    // ---- route and method (§3.8 step 1) ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PUT", "POST", "DELETE", "OPTIONS", "TRACE", "PROPFIND"})
    void otherMethodsAre405WithAllow(String method) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        ApiClient.RawResponse response = fx.http().raw(method + " /api/v1/evaluations/" + id + " HTTP/1.1\r\nAuthorization: Bearer "
                + fx.token("acme_owner") + "\r\nContent-Type: application/json", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        JsonNode error = assertError(response, 405, "invalid_request_error", "method_not_allowed", null);
        assertThat(error.get("message").stringValue()).isEqualTo("Method " + method + " is not allowed on this route.");
        assertThat(response.headers("Allow")).containsExactly("GET, PATCH");
        assertThat(response.headers("Autousers-Version")).containsExactly(EvaluationChecks.VERSION);
        before.assertRefusedAtTheEdge();
    }

    @Test
    void theCommandsRouteAllowsOnlyGet() {
        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/commands/x").token(fx.token("acme_owner")).json("{}").send();

        assertError(response, 405, "invalid_request_error", "method_not_allowed", null);
        assertThat(response.headers().allValues("Allow")).containsExactly("GET");
    }

    static Stream<Arguments> unknownRoutes() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/evaluations"),
                Arguments.of("PATCH", "/api/v1/evaluations/"),
                Arguments.of("PATCH", "/api/v1/evaluations/a/b"),
                Arguments.of("GET", "/api/v1/evaluation/eval_acme_draft"),
                Arguments.of("GET", "/api/v2/evaluations/eval_acme_draft"),
                Arguments.of("PATCH", "/api/v1/evaluations/eval_acme_draft/draft"),
                Arguments.of("GET", "/error"),
                Arguments.of("POST", "/error"),
                Arguments.of("GET", "/"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unknownRoutes")
    void unknownRoutesAre404NotFoundErrors(String method, String path) {
        long commands = EvaluationChecks.commandsOnKafka(fx);

        HttpResponse<String> response = fx.http().call(method, path).token(fx.token("acme_owner")).json("{}").send();

        assertError(response, 404, "not_found_error", "route_not_found", null);
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(commands);
    }

    static Stream<Arguments> requestTargetsTomcatRefuses() {
        return Stream.of(
                Arguments.of("encoded slash", "/api/v1/evaluations/a%2Fb"),
                Arguments.of("encoded NUL", "/api/v1/evaluations/a%00b"),
                Arguments.of("bad escape", "/api/v1/evaluations/%zz"),
                Arguments.of("invalid UTF-8 escape", "/api/v1/evaluations/%c3%28"),
                Arguments.of("raw control character", "/api/v1/evaluations/a\u0001b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestTargetsTomcatRefuses")
    void requestTargetsTheContainerRefusesStillGetTheEnvelope(String label, String target) {
        long commands = EvaluationChecks.commandsOnKafka(fx);

        ApiClient.RawResponse response = fx.http().raw("PATCH " + target + " HTTP/1.1\r\nAuthorization: Bearer "
                + fx.token("acme_owner") + "\r\nContent-Type: application/json", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isIn(400, 404);
        assertError(response, response.status(), response.status() == 404 ? "not_found_error" : "invalid_request_error",
                response.status() == 404 ? "route_not_found" : null, null);
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(commands);
    }

    // ---- body framing (§1.3, §3.8 step 6) ----

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                Arguments.of("text/plain", 400),
                Arguments.of("application/xml", 400),
                Arguments.of("application/x-www-form-urlencoded", 400),
                Arguments.of("multipart/form-data; boundary=x", 400),
                Arguments.of("application/json; charset=utf-16", 400),
                Arguments.of("application/json; charset=iso-8859-1", 400),
                Arguments.of("application/merge-patch+json", 400),
                Arguments.of(null, 400),
                Arguments.of("application/json", 200),
                Arguments.of("application/json; charset=utf-8", 200),
                Arguments.of("Application/JSON;Charset=UTF-8", 200));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("contentTypes")
    void onlyJsonInUtf8IsAccepted(String contentType, int status) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);
        ApiClient.Call call = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .body("{\"name\":\"typed\"}".getBytes(StandardCharsets.UTF_8));
        if (contentType != null) {
            call.header("Content-Type", contentType);
        }

        HttpResponse<String> response = call.send();

        if (status == 200) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } else {
            assertError(response, 400, "invalid_request_error", null, null);
            before.assertRefusedAtTheEdge();
        }
    }

    @Test
    void bodiesUpTo64KibAreReadAndLargerOnesRefusedBeforeParsing() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);
        String prefix = "{\"description\":\"";
        int limit = 65_536;
        byte[] atLimit = (prefix + "d".repeat(limit - prefix.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] overLimit = (prefix + "d".repeat(limit - prefix.length() - 1) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] huge = new byte[1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '[');
        Function<byte[], ApiClient.Call> call = bytes -> fx.http().call("PATCH", "/api/v1/evaluations/" + id)
                .token(fx.token("acme_editor")).header("Content-Type", "application/json");

        HttpResponse<String> read = call.apply(atLimit).body(atLimit).send();
        HttpResponse<String> refused = call.apply(overLimit).body(overLimit).send();
        HttpResponse<String> refusedChunked = call.apply(overLimit).chunked(overLimit).send();
        HttpResponse<String> refusedHuge = call.apply(huge).body(huge).send();

        assertThat(atLimit).hasSize(limit);
        assertThat(overLimit).hasSize(limit + 1);
        assertError(read, 400, "invalid_request_error", null, "description");
        for (HttpResponse<String> response : List.of(refused, refusedChunked, refusedHuge)) {
            JsonNode error = assertError(response, 400, "invalid_request_error", null, null);
            assertThat(error.get("message").stringValue()).isEqualTo("The request body is larger than 65536 bytes.");
        }
        before.assertRefusedAtTheEdge();
    }

    // ---- the check order of §3.8: the first failing check answers ----

    static Stream<Arguments> checkOrder() {
        String goodPatch = "PATCH /api/v1/evaluations/%s HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer %s";
        return Stream.of(
                // 2 authentication beats the version header, the key header and the body
                Arguments.of("401 before everything else", goodPatch.formatted("$ID", "pb.nobody.x")
                        + "\r\nAutousers-Version: nope\r\nIdempotency-Key: " + "k".repeat(300), "{", 401, null),
                // 3 scope beats version and body
                Arguments.of("scope before version", goodPatch.formatted("$ID", "$READONLY") + "\r\nAutousers-Version: nope", "{", 403,
                        "missing_required_scope"),
                // 5 version, then the key header
                Arguments.of("version before key", goodPatch.formatted("$ID", "$EDITOR") + "\r\nAutousers-Version: nope\r\nIdempotency-Key: "
                        + "k".repeat(300), "{", 400, "Autousers-Version"),
                Arguments.of("key before body", goodPatch.formatted("$ID", "$EDITOR") + "\r\nIdempotency-Key: " + "k".repeat(300), "{", 400,
                        "Idempotency-Key"),
                // 6 body framing beats the role
                Arguments.of("body before role", goodPatch.formatted("$ID", "$VIEWER"), "{", 400, null),
                // 7 role beats the strict schema
                Arguments.of("viewer before schema", goodPatch.formatted("$ID", "$VIEWER"), "{\"bogus\":1}", 403, null),
                Arguments.of("admin field before schema", goodPatch.formatted("$ID", "$EDITOR"), "{\"name\":\"\",\"type\":\"nope\"}", 403, "type"),
                // 9 syntax beats existence (a state-level 404)
                Arguments.of("syntax before existence", goodPatch.formatted("eval_missing_order", "$EDITOR"), "{\"name\":\"\"}", 400, "name"),
                Arguments.of("syntax before team", goodPatch.formatted("eval_globex_draft", "$EDITOR"), "{\"bogus\":true}", 400, "bogus"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkOrder")
    void theFirstFailingCheckAnswers(String label, String head, String body, int status, String codeOrParam) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);
        String resolved = head.replace("$ID", id).replace("$READONLY", fx.token("acme_readonly"))
                .replace("$EDITOR", fx.token("acme_editor")).replace("$VIEWER", fx.token("acme_viewer"));

        ApiClient.RawResponse response = fx.http().raw(resolved, body.getBytes(StandardCharsets.UTF_8));

        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "authorization_error";
            default -> "invalid_request_error";
        };
        boolean isCode = "missing_required_scope".equals(codeOrParam);
        assertError(response, status, type, isCode ? codeOrParam : null, isCode ? null : codeOrParam);
        before.assertRefusedAtTheEdge();
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(before.commands());
    }

    @Test
    void responsesToTheSameCheckDoNotDependOnWhatElseIsWrongLater() {
        List<String> params = new ArrayList<>();
        String id = fx.data().newEvaluation(DemoData.ACME);
        for (String body : List.of("{\"zzz\":1,\"name\":\"\"}", "{\"name\":\"\",\"zzz\":1}", "{\"modelId\":\"x\",\"zzz\":1}")) {
            params.add(ApiClient.json(fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor")).json(body).send())
                    .get("error").get("param").stringValue());
        }
        assertThat(params).containsOnly("zzz");
    }
}
