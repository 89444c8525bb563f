package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayFixture;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.EvaluationRules;
import tools.jackson.databind.JsonNode;

/**
 * A sweep of hostile and broken PATCH bodies: malformed and truncated JSON, wrong encodings, wrong types and
 * nulls for every field, overlong strings, NUL and unpaired surrogates, deep nesting, huge numbers, an oversized
 * body, SQL-looking strings. Every one must be a 400 in the Autousers envelope (no 500, no stack trace), reach
 * nothing on Kafka and change nothing. Valid but unusual strings, on the other hand, must round-trip exactly.
 */
class EvaluationBadInputIT {

    private static final PatchbayFixture fx = PatchbayFixture.shared();
    private static final String VALID = "{\"name\":\"Checkout v2\",\"description\":\"d\",\"status\":\"Running\","
            + "\"shareRequireEmail\":true,\"browserEngine\":\"chrome\",\"proxyRegion\":\"eu\"}";

    /** A case: a label, the body bytes, and the param the 400 must name (null: none). */
    private static Arguments bad(String label, byte[] body, String param) {
        return Arguments.of(label, body, param);
    }

    private static Arguments bad(String label, String body, String param) {
        return bad(label, body.getBytes(StandardCharsets.UTF_8), param);
    }

    private static byte[] bytes(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IntStream.of(values).forEach(out::write);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static Stream<Arguments> badBodies() {
        List<Arguments> cases = new ArrayList<>();
        // malformed JSON
        for (String text : List.of("{", "}", "{\"name\":", "{\"name\":\"x\"", "{\"name\":\"x\",}", "{name:\"x\"}", "{'name':'x'}",
                "{\"name\":\"x\"}}", "[", "{\"name\":\"x\"} {\"name\":\"y\"}", "{\"name\":\"x\"}garbage", "{\"name\":\"\\x\"}",
                "{\"name\":\"\\u12\"}", "{\"name\":\"x\" /* comment */}", "{\"name\":NaN}", "{\"allowMultipleRatings\":tru}",
                "{\"name\":\"line\nbreak\"}", "{\"name\":\"tab\there\"}", "{\"name\":01}", "{\"name\":.5}", "{\"name\":+1}",
                "{\"name\":Infinity}", "\u0000", "{\"name\":\"x\"}\u0000", "{,}", "{\"a\" \"b\"}", "{\"name\"=\"x\"}")) {
            cases.add(bad("malformed: " + text, text, null));
        }
        // truncated at every quarter of a valid body
        for (int cut : List.of(1, VALID.length() / 4, VALID.length() / 2, 3 * VALID.length() / 4, VALID.length() - 1)) {
            cases.add(bad("truncated at " + cut, VALID.substring(0, cut), null));
        }
        // not an object, or empty
        for (String text : List.of("", "   ", "\r\n", "null", "true", "42", "\"string\"", "[]", "[{\"name\":\"x\"}]")) {
            cases.add(bad("not an object: '" + text.strip() + "'", text, null));
        }
        // repeated members
        cases.add(bad("repeated member", "{\"name\":\"a\",\"name\":\"b\"}", "name"));
        cases.add(bad("repeated null member", "{\"description\":null,\"description\":\"x\"}", "description"));
        cases.add(bad("repeated member inside a value", "{\"name\":{\"a\":1,\"a\":2}}", "a"));
        // encodings other than UTF-8
        cases.add(bad("invalid UTF-8 byte", concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bytes(0xff), "\"}".getBytes(StandardCharsets.UTF_8)), null));
        cases.add(bad("overlong UTF-8", concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bytes(0xc0, 0xaf), "\"}".getBytes(StandardCharsets.UTF_8)), null));
        cases.add(bad("UTF-8 encoded surrogate", concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bytes(0xed, 0xa0, 0x80), "\"}".getBytes(StandardCharsets.UTF_8)), null));
        cases.add(bad("truncated UTF-8 sequence", concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bytes(0xe2, 0x82), "\"}".getBytes(StandardCharsets.UTF_8)), null));
        cases.add(bad("UTF-16LE with BOM", concat(bytes(0xff, 0xfe), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)), null));
        cases.add(bad("UTF-16BE without BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16BE), null));
        cases.add(bad("UTF-32", "{\"name\":\"x\"}".getBytes(java.nio.charset.Charset.forName("UTF-32")), null));
        cases.add(bad("Latin-1 text", "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), null));
        // wrong types and nulls for every field
        List<String> strings = List.of("name", "description", "sharePassword", "shareExpiry", "proxyRegion", "modelId", "id", "teamId");
        List<String> enums = List.of("type", "status", "shareAccess", "browserEngine");
        List<String> clearable = List.of("description", "shareExpiry", "browserEngine", "useProxy", "proxyRegion", "modelId");
        List<String> fields = new ArrayList<>(List.of("id", "teamId"));
        fields.addAll(EvaluationRules.FIELD_ORDER);
        for (String field : fields) {
            boolean text = strings.contains(field) || enums.contains(field);
            List<String> wrong = new ArrayList<>(List.of("1", "1.5", "-0", "[]", "[\"x\"]", "{}", "{\"value\":\"x\"}"));
            wrong.addAll(text ? List.of("true", "false") : List.of("\"true\"", "\"false\"", "\"\"", "0", "1"));
            for (String value : wrong) {
                cases.add(bad("wrong type: " + field + "=" + value, "{\"" + field + "\":" + value + "}", field));
            }
            if (!clearable.contains(field)) {
                cases.add(bad("null not allowed: " + field, "{\"" + field + "\":null}", field));
            }
        }
        // overlong strings
        cases.add(bad("name 201", "{\"name\":\"" + "n".repeat(201) + "\"}", "name"));
        cases.add(bad("name 10000", "{\"name\":\"" + "n".repeat(10_000) + "\"}", "name"));
        cases.add(bad("name 201 non-ASCII", "{\"name\":\"" + "\u00e9".repeat(201) + "\"}", "name"));
        cases.add(bad("description 60000", "{\"description\":\"" + "d".repeat(60_000) + "\"}", "description"));
        cases.add(bad("proxyRegion 256", "{\"proxyRegion\":\"" + "r".repeat(256) + "\"}", "proxyRegion"));
        cases.add(bad("sharePassword 129", "{\"sharePassword\":\"" + "p".repeat(129) + "\"}", "sharePassword"));
        cases.add(bad("unknown member 10000 long", "{\"" + "k".repeat(10_000) + "\":1}", "k".repeat(10_000)));
        // characters no string field may hold
        cases.add(bad("NUL in name", "{\"name\":\"a\\u0000b\"}", "name"));
        cases.add(bad("NUL in description", "{\"description\":\"\\u0000\"}", "description"));
        cases.add(bad("NUL in proxyRegion", "{\"proxyRegion\":\"eu\\u0000\"}", "proxyRegion"));
        cases.add(bad("NUL in sharePassword", "{\"sharePassword\":\"abcd\\u0000\"}", "sharePassword"));
        cases.add(bad("lone high surrogate", "{\"name\":\"a\\ud800\"}", "name"));
        cases.add(bad("lone low surrogate", "{\"description\":\"\\udfff\"}", "description"));
        cases.add(bad("reversed surrogates", "{\"proxyRegion\":\"\\ude00\\ud83d\"}", "proxyRegion"));
        cases.add(bad("NUL in an enum", "{\"status\":\"Draft\\u0000\"}", "status"));
        cases.add(bad("non-ASCII member name", "{\"n\u00e0me\":\"x\"}", "n\u00e0me"));
        cases.add(bad("NUL in a member name", "{\"name\\u0000\":\"x\"}", "name\u0000"));
        cases.add(bad("homoglyph member name", "{\"n\u0430me\":\"x\"}", "n\u0430me"));
        cases.add(bad("full-width enum", "{\"browserEngine\":\"\uff23\uff28\uff32\uff2f\uff2d\uff25\"}", "browserEngine"));
        cases.add(bad("enum with a trailing space", "{\"status\":\"Draft \"}", "status"));
        // nesting and size
        cases.add(bad("nested 5000 deep in a known field", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}", null));
        cases.add(bad("nested 2000 objects", "{\"x\":" + "{\"x\":".repeat(2000) + "1" + "}".repeat(2001), null));
        cases.add(bad("nested 100 deep in an unknown field", "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", "x"));
        cases.add(bad("nested 100 deep in a known field", "{\"name\":" + "[".repeat(100) + "]".repeat(100) + "}", "name"));
        cases.add(bad("10000-element array", "{\"name\":[" + IntStream.range(0, 10_000).mapToObj(Integer::toString)
                .collect(Collectors.joining(",")) + "]}", "name"));
        cases.add(bad("5000 unknown members", "{" + IntStream.range(0, 5000).mapToObj(i -> "\"m" + i + "\":" + i)
                .collect(Collectors.joining(",")) + "}", "m0"));
        cases.add(bad("number beyond double", "{\"name\":1e400}", "name"));
        cases.add(bad("tiny number", "{\"useProxy\":-1e-400}", "useProxy"));
        cases.add(bad("huge integer", "{\"allowMultipleRatings\":123456789012345678901234567890123456789}", "allowMultipleRatings"));
        cases.add(bad("exponent overflow", "{\"name\":1e999999999999}", null));
        cases.add(bad("exponent overflow in an unknown member", "{\"x\":-1E-999999999999}", null));
        cases.add(bad("1000-digit number", "{\"name\":" + "9".repeat(1001) + "}", null));
        cases.add(bad("over 64 KiB", "{\"description\":\"" + "d".repeat(70_000) + "\"}", null));
        // SQL-looking input where no such value is valid
        cases.add(bad("SQL in an enum", "{\"status\":\"Draft'; DROP TABLE evaluation; --\"}", "status"));
        cases.add(bad("SQL in modelId", "{\"modelId\":\"' OR 1=1 --\"}", "modelId"));
        cases.add(bad("SQL in browserEngine", "{\"browserEngine\":\"CHROME' --\"}", "browserEngine"));
        cases.add(bad("SQL in shareExpiry", "{\"shareExpiry\":\"2030-01-01T00:00:00Z' OR '1'='1\"}", "shareExpiry"));
        cases.add(bad("SQL in a member name", "{\"name'; DELETE FROM evaluation; --\":\"x\"}", "name'; DELETE FROM evaluation; --"));
        cases.add(bad("SQL in id", "{\"id\":\"x' OR '1'='1\"}", "id"));
        cases.add(bad("SQL in teamId", "{\"teamId\":\"team_acme' OR '1'='1\"}", "teamId"));
        cases.add(bad("prototype pollution", "{\"__proto__\":{\"admin\":true}}", "__proto__"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesAre400AndReachNothing(String label, byte[] body, String param) {
        String id = fx.newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = fx.call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_owner"))
                .header("Content-Type", "application/json").body(body).send();
        HttpResponse<String> withKey = fx.call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_owner"))
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

        HttpResponse<String> response = fx.call("GET", "/api/v1/evaluations/" + encodedId).token(fx.token("acme_viewer")).send();

        assertError(response, 404, "not_found_error", "evaluation_not_found", null);
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(commands);
        int rows = fx.jdbi.withHandle(h -> h.createQuery("select count(*) from evaluation").mapTo(Integer.class).one());
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
        String id = fx.newEvaluation(DemoData.ACME);
        String expected = JsonValues.MAPPER.readTree("\"" + jsonText + "\"").stringValue();

        HttpResponse<String> response = fx.call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor"))
                .json("{\"name\":\"" + jsonText + "\",\"description\":\"" + jsonText + "\"}").send();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = PatchbayFixture.json(response);
        assertThat(json.get("name").stringValue()).isEqualTo(expected);
        assertThat(json.get("description").stringValue()).isEqualTo(expected);
        assertThat(fx.storedEvaluation(id).orElseThrow().state().getName()).isEqualTo(expected);
        assertThat(PatchbayFixture.json(fx.call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer")).send())
                .get("description").stringValue()).isEqualTo(expected);
    }

    @Test
    void theStackStaysHealthyAfterTheSweep() {
        String id = fx.newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.call("PATCH", "/api/v1/evaluations/" + id).token(fx.token("acme_editor")).json(VALID).send();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fx.evaluationChanges(id)).hasSize(1);
    }
}
