package io.patchbay.devstack.automations;

import static io.patchbay.devstack.automations.Respan.commandOffsets;
import static io.patchbay.devstack.automations.Respan.freshAutomation;
import static io.patchbay.devstack.automations.Respan.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input sweep of the Respan routes: malformed and truncated JSON, wrong types for every field, nulls,
 * overlong strings, non-ASCII and control characters, deep nesting, oversized bodies, SQL-looking strings and
 * odd paths. Nothing may answer 500 or show internals; whatever the edge refuses never reaches Kafka (the
 * commands topic's end offsets stay put) and leaves the automation as it was; what is valid, however odd, is
 * stored literally.
 */
class AutomationBadInputIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    /**
     * The automation every refused request is aimed at, as inserted: a refusal changes nothing, so one serves them all,
     * and each refusal's check that it is unchanged also covers every refusal before it.
     */
    private static AutomationState refusalsTarget;

    @BeforeAll
    static void insertTheAutomationRefusalsAreAimedAt() {
        refusalsTarget = freshAutomation(b -> { });
    }

    /** What must happen to a request. */
    enum Expect {
        /** 400 (or 415) at the edge: no command published, nothing changed. */
        REFUSED_AT_EDGE,
        /** Published, then rejected by the processor: 400, nothing changed. */
        REJECTED_BY_PROCESSOR,
        /** Valid, however odd: 200 and stored literally. */
        ACCEPTED
    }

    record Case(String label, byte[] body, String contentType, Expect expect, Consumer<AutomationState> stored) {

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> sweep() {
        List<Case> cases = new ArrayList<>();
        // Malformed and truncated JSON
        for (String body : List.of("{", "}", "{\"name\"", "{\"name\":", "{\"name\":\"x", "{\"name\":\"x\"", "{\"name\":\"x\",}",
                "{\"name\":\"x\"}}", "{\"name\":\"x\"} {}", "{name:\"x\"}", "{'name':'x'}", "{\"name\":\"\\x\"}", "{\"name\":\"\\u12\"}",
                "{\"is_enabled\":tru}", "{\"is_enabled\":True}", "{\"configuration\":{\"sampling_rate\":0.}}",
                "{\"configuration\":{\"sampling_rate\":.5}}", "{\"configuration\":{\"sampling_rate\":01}}",
                "{\"configuration\":{\"sampling_rate\":NaN}}", "{\"configuration\":{\"sampling_rate\":Infinity}}",
                "{\"configuration\":{\"sampling_rate\":-Infinity}}", "{\"evaluator_ids\":[\"a\",]}", "{\"evaluator_ids\":[\"a\"",
                "{\"a\":1,\"a\":2}", "{\"configuration\":{\"x\":{\"y\":1,\"y\":2}}}", "/* comment */ {}", "{} // comment",
                "\u0000", " ", "\t\r\n")) {
            cases.add(edge("malformed " + body.replace("\u0000", "NUL"), body));
        }
        cases.add(edge("raw control character inside a string", "{\"name\":\"a\u0001b\"}"));
        cases.add(edge("raw newline inside a string", "{\"name\":\"a\nb\"}"));
        cases.add(new Case("invalid UTF-8 start byte", concat("{\"name\":\"", new byte[] {(byte) 0xff}, "\"}"), "application/json",
                Expect.REFUSED_AT_EDGE, null));
        cases.add(new Case("truncated UTF-8 sequence", concat("{\"name\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "\"}"),
                "application/json", Expect.REFUSED_AT_EDGE, null));
        cases.add(new Case("overlong UTF-8 encoding of '/'", concat("{\"name\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}"),
                "application/json", Expect.REFUSED_AT_EDGE, null));
        cases.add(new Case("UTF-16 body (the body is decoded as UTF-8)", "{\"name\":\"utf16\"}".getBytes(StandardCharsets.UTF_16BE),
                "application/json", Expect.REFUSED_AT_EDGE, null));
        cases.add(new Case("UTF-16 body with a byte order mark", "{\"name\":\"utf16\"}".getBytes(StandardCharsets.UTF_16),
                "application/json", Expect.REFUSED_AT_EDGE, null));
        cases.add(new Case("UTF-8 byte order mark (DRF's json refuses it)", concat("", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                "{\"name\":\"bom\"}"), "application/json", Expect.REFUSED_AT_EDGE, null));

        // Wrong types and nulls for every field (each value here is invalid for its field)
        Map<String, List<String>> invalid = Map.of(
                "name", List.of("null", "true", "0", "1.5", "[]", "{}", "[\"x\"]", "\"\"", "\"  \""),
                "is_enabled", List.of("null", "\"\"", "\"yes\"", "\"TRUE\"", "-1", "2", "0.5", "1e-300", "[]", "{}", "[true]"),
                "configuration", List.of("null", "true", "0", "1.5", "\"\"", "\"{}\"", "[]", "[{}]"),
                "evaluator_ids", List.of("null", "true", "0", "1.5", "\"\"", "\"evl_acme_quality\"", "{}", "[]", "[null]", "[0]",
                        "[true]", "[[]]", "[{}]", "[\"\"]", "[\"evl_acme_quality\",null]"));
        invalid.forEach((field, values) -> values.forEach(value ->
                cases.add(edge(field + " = " + value, "{\"" + field + "\":" + value + "}"))));
        for (String value : List.of("null", "true", "false", "\"\"", "\"0.5.1\"", "\"1/2\"", "[]", "{}", "[0.5]", "-0.0001", "1.5",
                "1e308", "-1e308", "\"1e999\"", "\"NaN\"", "\"nan\"", "\"inf\"", "\"0x1p-1\"")) {
            cases.add(edge("configuration.sampling_rate = " + value, "{\"configuration\":{\"sampling_rate\":" + value + "}}"));
        }
        cases.add(edge("every field null at once",
                "{\"name\":null,\"is_enabled\":null,\"configuration\":null,\"evaluator_ids\":null}"));

        // Overlong strings
        cases.add(edge("name of 256 characters", "{\"name\":\"" + "x".repeat(256) + "\"}"));
        cases.add(edge("name of 60000 characters", "{\"name\":\"" + "x".repeat(60_000) + "\"}"));
        cases.add(edge("name of 256 emoji", "{\"name\":\"" + "\uD83D\uDE00".repeat(256) + "\"}"));
        cases.add(new Case("evaluator id of 60000 characters", json("{\"evaluator_ids\":[\"" + "e".repeat(60_000) + "\"]}"),
                "application/json", Expect.REJECTED_BY_PROCESSOR, null));
        cases.add(accepted("configuration key and value of 20000 characters each",
                "{\"configuration\":{\"" + "k".repeat(20_000) + "\":\"" + "v".repeat(20_000) + "\"}}",
                a -> assertThat(a.getConfiguration().getOtherKeys()).extracting(JsonMember::getName).containsExactly("k".repeat(20_000))));

        // Non-ASCII and control characters
        cases.add(edge("NUL character in name", "{\"name\":\"a\\u0000\"}"));
        cases.add(edge("lone high surrogate in name", "{\"name\":\"\\ud83d\"}"));
        cases.add(edge("reversed surrogate pair in name", "{\"name\":\"\\ude00\\ud83d\"}"));
        cases.add(edge("NUL character in an evaluator id", "{\"evaluator_ids\":[\"evl_acme_quality\\u0000\"]}"));
        cases.add(edge("lone surrogate in an evaluator id", "{\"evaluator_ids\":[\"\\udbff\"]}"));
        cases.add(accepted("control characters other than NUL in name (DRF allows them)", "{\"name\":\"bell\\u0007 tab\\t esc\\u001b\"}",
                a -> assertThat(a.getName()).isEqualTo("bell\u0007 tab\t esc\u001b")));
        cases.add(accepted("non-ASCII name", "{\"name\":\"Qualit\u00e9 \u54c1\u8cea \u0627\u0644\u062c\u0648\u062f\u0629 \uD83D\uDE00\"}",
                a -> assertThat(a.getName()).isEqualTo("Qualit\u00e9 \u54c1\u8cea \u0627\u0644\u062c\u0648\u062f\u0629 \uD83D\uDE00")));
        cases.add(accepted("escaped astral character in name", "{\"name\":\"\\ud83d\\ude00\"}",
                a -> assertThat(a.getName()).isEqualTo("\uD83D\uDE00")));
        cases.add(accepted("right-to-left override and zero-width characters kept", "{\"name\":\"\u202eabc\u200b\"}",
                a -> assertThat(a.getName()).isEqualTo("\u202eabc\u200b")));
        cases.add(accepted("NUL and control characters in free-form configuration", "{\"configuration\":{\"note\\u0000\":\"a\\u0000\\u0001\"}}",
                a -> assertThat(JsonValues.writeMembers(a.getConfiguration().getOtherKeys())).isEqualTo("{\"note\\u0000\":\"a\\u0000\\u0001\"}")));
        cases.add(new Case("non-ASCII evaluator ids", json("{\"evaluator_ids\":[\"\u00e9valuateur\",\"\u8a55\u4fa1\"]}"), "application/json",
                Expect.REJECTED_BY_PROCESSOR, null));

        // Deep nesting
        cases.add(edge("10000 nested arrays", "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
        cases.add(edge("10000 nested objects in configuration",
                "{\"configuration\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"));
        cases.add(accepted("50 nested levels inside configuration", "{\"configuration\":{\"deep\":" + "[".repeat(50) + "1"
                + "]".repeat(50) + "}}", a -> assertThat(JsonValues.writeMembers(a.getConfiguration().getOtherKeys()))
                        .isEqualTo("{\"deep\":" + "[".repeat(50) + "1" + "]".repeat(50) + "}")));
        cases.add(edge("200 nested levels inside configuration, over the limit of 64",
                "{\"configuration\":{\"deep\":" + "[".repeat(200) + "1" + "]".repeat(200) + "}}"));

        // SQL-looking strings: data, never code
        cases.add(accepted("SQL in name", "{\"name\":\"'; DROP TABLE automation; --\"}",
                a -> assertThat(a.getName()).isEqualTo("'; DROP TABLE automation; --")));
        cases.add(accepted("SQL in configuration keys and values", "{\"configuration\":{\"x' OR '1'='1\":\"1); DELETE FROM evaluator; --\"}}",
                a -> assertThat(JsonValues.writeMembers(a.getConfiguration().getOtherKeys()))
                        .isEqualTo("{\"x' OR '1'='1\":\"1); DELETE FROM evaluator; --\"}")));
        cases.add(new Case("SQL in evaluator ids", json("{\"evaluator_ids\":[\"' OR '1'='1\",\"evl_acme_quality'--\",\"%\",\"_\"]}"),
                "application/json", Expect.REJECTED_BY_PROCESSOR, null));
        cases.add(edge("SQL in is_enabled", "{\"is_enabled\":\"true' OR '1'='1\"}"));
        cases.add(edge("SQL in sampling_rate", "{\"configuration\":{\"sampling_rate\":\"0.5; DROP TABLE automation\"}}"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sweep")
    void neverA500AndNeverAStackTraceAndRefusalsNeverReachKafka(Case c) {
        AutomationState automation = c.expect() == Expect.ACCEPTED ? freshAutomation(b -> { }) : refusalsTarget;
        Map<Integer, Long> before = commandOffsets();
        long automations = automationCount();

        HttpResponse<String> response = Respan.send("PATCH", Respan.path(automation.getId()), fx.token("acme_editor"), c.body(),
                c.contentType());

        assertSafe(response);
        switch (c.expect()) {
            case REFUSED_AT_EDGE -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(commandOffsets()).as("commands topic end offsets").isEqualTo(before);
                assertThat(stored(automation.getId())).isEqualTo(automation);
            }
            case REJECTED_BY_PROCESSOR -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(Respan.tree(response).get("evaluator_ids").get(0).stringValue()).startsWith("Evaluators not found: ");
                assertThat(stored(automation.getId())).isEqualTo(automation);
            }
            case ACCEPTED -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                c.stored().accept(stored(automation.getId()));
                assertThat(Respan.compact(Respan.get(automation.getId(), "acme_viewer").body()))
                        .isEqualTo(Respan.compact(response.body()));
            }
        }
        assertThat(automationCount()).isEqualTo(automations);
    }

    @Test
    void sqlInTheEvaluatorListIsNamedLiterallyAndMatchesNothing() {
        HttpResponse<String> response = Respan.patch(refusalsTarget.getId(), "acme_editor",
                "{\"evaluator_ids\":[\"' OR '1'='1\",\"evl_acme_quality'--\",\"%\",\"evl_acme_%\"]}");

        Respan.assertBody(response, 400,
                "{'evaluator_ids':['Evaluators not found: \\u0027 OR \\u00271\\u0027=\\u00271, evl_acme_quality\\u0027--, %, evl_acme_%']}");
        assertThat(stored(refusalsTarget.getId())).isEqualTo(refusalsTarget);
    }

    @Test
    void oversizedBodiesAreRefusedBeforeParsingWithOrWithoutALength() throws Exception {
        Map<Integer, Long> before = commandOffsets();
        byte[] mebibyte = ("{\"name\":\"" + "x".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> withLength = Respan.send("PATCH", Respan.path(refusalsTarget.getId()), fx.token("acme_editor"), mebibyte,
                "application/json");
        HttpRequest chunkedRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.apps().httpPort()
                        + Respan.path(refusalsTarget.getId())))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + fx.token("acme_editor"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        ("{\"name\":\"" + "y".repeat(200_000) + "\"}").getBytes(StandardCharsets.US_ASCII))))
                .build();
        HttpResponse<String> chunked = Respan.checked(HttpClient.newHttpClient().send(chunkedRequest,
                HttpResponse.BodyHandlers.ofString()));

        for (HttpResponse<String> response : List.of(withLength, chunked)) {
            Respan.assertBody(response, 400, "{'detail':'Request body too large.'}");
        }
        assertThat(commandOffsets()).isEqualTo(before);
        assertThat(stored(refusalsTarget.getId())).isEqualTo(refusalsTarget);
    }

    static Stream<Arguments> oddPaths() {
        return Stream.of("%C3%A9t%C3%A9", "%F0%9F%98%80", "x'%20OR%20'1'='1", "%27%3B%20DROP%20TABLE%20automation%3B--",
                "%25", "_", "%2A", "a;b=c", "%20", "+", "x".repeat(2000), "%E2%80%AE", "%7B%7D").map(Arguments::of);
    }

    @ParameterizedTest(name = "/api/automations/{0}/")
    @MethodSource("oddPaths")
    void oddIdentifiersAreNotFoundNeverAFailure(String identifier) {
        Map<Integer, Long> before = commandOffsets();
        for (String method : List.of("GET", "PATCH")) {
            HttpResponse<String> response = fx.http().sendBytes(method, "/api/automations/" + identifier + "/", fx.token("acme_owner"),
                    method.equals("GET") ? null : "{\"name\":\"x\"}".getBytes(StandardCharsets.US_ASCII),
                    method.equals("GET") ? null : "application/json");

            assertThat(response.statusCode()).as(method + " " + identifier + ": " + response.body()).isIn(400, 404);
            Respan.checked(response);
            assertSafe(response);
            if (response.statusCode() == 404) {
                assertThat(Respan.compact(response.body())).isIn(Respan.json("{'detail':'Automation not found'}"),
                        Respan.json("{'detail':'Not found.'}"));
            }
        }
        assertThat(stored("auto_acme_quality").getVersion()).isEqualTo(1L);
        assertThat(commandOffsets().values().stream().mapToLong(Long::longValue).sum())
                .isLessThanOrEqualTo(before.values().stream().mapToLong(Long::longValue).sum() + 1);
    }

    /**
     * Paths the servlet container itself refuses before any application code runs (encoded slash or backslash,
     * NUL, invalid UTF-8 in the percent-encoding): a plain 400, never a 500 and never a command.
     */
    @ParameterizedTest(name = "/api/automations/{0}/")
    @MethodSource("containerRefusedPaths")
    void pathsTheContainerRefusesAre400AndPublishNothing(String identifier) {
        Map<Integer, Long> before = commandOffsets();
        for (String method : List.of("GET", "PATCH")) {
            HttpResponse<String> response = fx.http().sendBytes(method, "/api/automations/" + identifier + "/", fx.token("acme_owner"),
                    method.equals("GET") ? null : "{\"name\":\"x\"}".getBytes(StandardCharsets.US_ASCII),
                    method.equals("GET") ? null : "application/json");

            assertThat(response.statusCode()).as(method + " " + identifier).isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception", "\tat ", "java.");
        }
        assertThat(commandOffsets()).isEqualTo(before);
    }

    static Stream<Arguments> containerRefusedPaths() {
        return Stream.of("%00", "auto%00x", "%FF%FE", "..%2F..%2Fx", "auto_acme_quality%2F", "%5C").map(Arguments::of);
    }

    @Test
    void otherMethodsAreRefusedInDrfsWordsAndHeadIsAGetWithoutBody() {
        String path = Respan.path("auto_acme_quality");
        for (String method : List.of("OPTIONS", "TRACE", "CONNECT2", "PROPFIND")) {
            HttpResponse<String> response = Respan.send(method, path, fx.token("acme_viewer"), null, null);

            Respan.assertBody(response, 405, "{'detail':'Method \\\"" + method + "\\\" not allowed.'}");
            assertThat(response.headers().allValues("Allow")).containsExactly("GET, PATCH");
        }
        HttpResponse<String> head = Respan.send("HEAD", path, fx.token("acme_viewer"), null, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(Respan.send("HEAD", path, null, null, null).statusCode()).isEqualTo(401);
    }

    /** No 500, a JSON object in the API's shape, and nothing of the implementation in it. */
    private static void assertSafe(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        JsonNode body = Respan.tree(response);
        assertThat(body.isObject()).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "java.", "tools.jackson", "springframework", "patchbay.",
                "Source: ", "SQL", "postgres");
    }

    private static long automationCount() {
        return fx.jdbi().withHandle(h -> h.createQuery("select count(*) from automation").mapTo(Long.class).one());
    }

    private static Case edge(String label, String body) {
        return new Case(label, body.getBytes(StandardCharsets.UTF_8), "application/json", Expect.REFUSED_AT_EDGE, null);
    }

    private static Case accepted(String label, String body, Consumer<AutomationState> check) {
        return new Case(label, json(body), "application/json", Expect.ACCEPTED, check);
    }

    private static byte[] json(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] a = head.getBytes(StandardCharsets.US_ASCII);
        byte[] c = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }
}
