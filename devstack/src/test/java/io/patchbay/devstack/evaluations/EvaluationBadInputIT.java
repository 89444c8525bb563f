package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * Hostile and broken PATCH bodies through the whole stack, one of each kind (the sweep of every case is
 * {@code EvaluationPatchParserTest}, on the parsers): each must be a 400 in the Autousers envelope (no 500, no stack
 * trace), reach nothing on Kafka and change nothing. Valid but unusual strings, on the other hand, must round-trip
 * exactly, and SQL-looking ids are just unknown ids.
 */
class EvaluationBadInputIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final String VALID = "{\"name\":\"Checkout v2\",\"description\":\"d\",\"status\":\"Running\","
            + "\"shareRequireEmail\":true,\"browserEngine\":\"chrome\",\"proxyRegion\":\"eu\"}";

    /** A case: a label, the body bytes, and the param the 400 must name (null: none). */
    private static Arguments bad(String label, byte[] body, String param) {
        return Arguments.of(label, body, param);
    }

    private static Arguments bad(String label, String body, String param) {
        return bad(label, body.getBytes(StandardCharsets.UTF_8), param);
    }

    /**
     * One bad body of each kind, end to end; the full sweep of each kind is {@code EvaluationPatchParserTest}, on
     * the parsers themselves.
     */
    static Stream<Arguments> badBodies() {
        return Stream.of(
                bad("malformed", "{\"name\":\"x\",}", null),
                bad("truncated", VALID.substring(0, VALID.length() / 2), null),
                bad("not an object", "[{\"name\":\"x\"}]", null),
                bad("empty", "", null),
                bad("repeated member", "{\"name\":\"a\",\"name\":\"b\"}", "name"),
                bad("invalid UTF-8 byte", new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, '"', '}'}, null),
                bad("UTF-16BE without BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16BE), null),
                bad("wrong type", "{\"allowMultipleRatings\":\"true\"}", "allowMultipleRatings"),
                bad("null not allowed", "{\"status\":null}", "status"),
                bad("name 201", "{\"name\":\"" + "n".repeat(201) + "\"}", "name"),
                bad("NUL in name", "{\"name\":\"a\\u0000b\"}", "name"),
                bad("lone high surrogate", "{\"name\":\"a\\ud800\"}", "name"),
                bad("nested 5000 deep in a known field", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}", null),
                bad("exponent overflow", "{\"name\":1e999999999999}", null),
                bad("over 64 KiB", "{\"description\":\"" + "d".repeat(70_000) + "\"}", null),
                bad("SQL in an enum", "{\"status\":\"Draft'; DROP TABLE evaluation; --\"}", "status"),
                bad("prototype pollution", "{\"__proto__\":{\"admin\":true}}", "__proto__"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesAre400AndReachNothing(String label, byte[] body, String param) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_owner"))
                .header("Content-Type", "application/json").body(body).send();
        HttpResponse<String> withKey = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_owner"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "sweep-" + System.nanoTime()).body(body).send();

        assertError(response, 400, "invalid_request_error", null, param);
        assertError(withKey, 400, "invalid_request_error", null, param);
        before.assertRefusedAtTheEdge();
    }

    static Stream<String> sqlLookingPaths() {
        return Stream.of("x'%20OR%20'1'%3D'1", "1%3B%20DROP%20TABLE%20evaluation", "%27%22%3C%3E", "1%20UNION%20SELECT%20secret_hash%20FROM%20api_key");
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("sqlLookingPaths")
    void sqlLookingIdsAreJustUnknownIds(String encodedId) {
        long commands = EvaluationChecks.commandsOnKafka(fx);

        HttpResponse<String> response = fx.http().call("GET", "/api/v1/evaluations/" + encodedId).token(fx.token("acme_viewer")).send();

        assertError(response, 404, "not_found_error", "evaluation_not_found", null);
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(commands);
        int rows = fx.jdbi().withHandle(h -> h.createQuery("select count(*) from evaluation").mapTo(Integer.class).one());
        assertThat(rows).isPositive();
    }

    // ---- valid but unusual text is stored exactly as sent ----

    static Stream<String> unusualButValidText() {
        return Stream.of(
                "Robert'); DROP TABLE evaluation;--",
                "' OR '1'='1",
                "\\\"quotes\\\" and \\\\backslashes\\\\",
                "<script>alert(1)</script>",
                "\uD83D\uDE00 emoji \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family",
                "\u05E9\u05DC\u05D5\u05DD right-to-left \u202E override",
                "zero\u200Bwidth\uFEFFbom",
                "combining e\u0301\u0301\u0301",
                "control \\t\\n\\r \\u0001 \\u001f \u007f \u0085 \u2028 \u2029",
                "  leading and trailing spaces  ",
                "\u00e9".repeat(200),
                "\uD83D\uDE00".repeat(100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualButValidText")
    void unusualButValidTextRoundTripsExactly(String jsonText) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String expected = JsonValues.MAPPER.readTree("\"" + jsonText + "\"").stringValue();

        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .json("{\"name\":\"" + jsonText + "\",\"description\":\"" + jsonText + "\"}").send();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = ApiClient.json(response);
        assertThat(json.get("name").stringValue()).isEqualTo(expected);
        assertThat(json.get("description").stringValue()).isEqualTo(expected);
        assertThat(fx.data().storedEvaluation(id).orElseThrow().state().getName()).isEqualTo(expected);
        assertThat(ApiClient.json(fx.http().call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer")).send())
                .get("description").stringValue()).isEqualTo(expected);
    }

    @Test
    void theStackStaysHealthyAfterTheSweep() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor")).json(VALID).send();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fx.kafka().evaluationChanges(id)).hasSize(1);
    }
}
