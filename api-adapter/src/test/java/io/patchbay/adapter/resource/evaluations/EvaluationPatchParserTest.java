package io.patchbay.adapter.resource.evaluations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.web.MockHttpServletRequest;

import io.patchbay.adapter.AdapterProperties;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.schemas.rules.EvaluationRules;

/**
 * A sweep of hostile and broken Autousers PATCH bodies through the two parsers an evaluation PATCH meets, the strict
 * body reader ({@link JsonBodies}) and the typed patch parser ({@link EvaluationPatchParser}): malformed and truncated
 * JSON, wrong encodings, wrong types and nulls for every field, overlong strings, NUL and unpaired surrogates, deep
 * nesting, huge numbers, an oversized body, SQL-looking strings. Each is a 400 {@code invalid_request_error} naming
 * the offending member, or none when the body is not readable at all. {@code EvaluationBadInputIT} keeps one case of
 * each kind end to end, where it also checks that nothing reaches Kafka or the database.
 */
class EvaluationPatchParserTest {

    private static final String ID = "eval_1";
    private static final String TEAM = "team_1";
    private static final Instant NOW = Instant.parse("2026-05-04T11:00:00Z");
    private static final String VALID = "{\"name\":\"Checkout v2\",\"description\":\"d\",\"status\":\"Running\","
            + "\"shareRequireEmail\":true,\"browserEngine\":\"chrome\",\"proxyRegion\":\"eu\"}";

    private final JsonBodies bodies = new JsonBodies(AdapterProperties.DEFAULT_MAX_BODY_BYTES);
    private final EvaluationPatchParser parser = new EvaluationPatchParser();

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
    void aBadBodyIsA400NamingTheOffendingMember(String label, byte[] body, String param) {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/api/v1/evaluations/" + ID);
        request.setContentType("application/json");
        request.setContent(body);

        ApiError.ApiException refusal = catchThrowableOfType(ApiError.ApiException.class,
                () -> parser.parse(bodies.readObject(request, Api.AUTOUSERS), ID, TEAM, NOW));

        assertThat(refusal).as(label).isNotNull();
        assertThat(refusal.error().status()).isEqualTo(400);
        assertThat(refusal.error().type()).isEqualTo("invalid_request_error");
        assertThat(refusal.error().errors()).singleElement().satisfies(error -> {
            assertThat(error.getField()).isEqualTo(param);
            assertThat(error.getMessage()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void theValidBodyOfTheSweepParses(String label, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/api/v1/evaluations/" + ID);
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));

        EvaluationPatchParser.Parsed parsed = parser.parse(bodies.readObject(request, Api.AUTOUSERS), ID, TEAM, NOW);

        assertThat(parsed.patch().getName()).isEqualTo("Checkout v2");
    }

    static Stream<Arguments> goodBodies() {
        return Stream.of(Arguments.of("the sweep's valid body", VALID));
    }
}
