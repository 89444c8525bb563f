package io.patchbay.devstack.automations;

import static io.patchbay.devstack.automations.Respan.assertBody;
import static io.patchbay.devstack.automations.Respan.commandOffsets;
import static io.patchbay.devstack.automations.Respan.freshAutomation;
import static io.patchbay.devstack.automations.Respan.json;
import static io.patchbay.devstack.automations.Respan.patch;
import static io.patchbay.devstack.automations.Respan.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;

/**
 * Every Respan error response of api-contract §4.6 with its exact DRF body and headers, and the check order of
 * §4.7 (first failure wins). Request-level refusals must not publish a command; state-level ones are decided
 * by the processor. The target automations must come out of all of it unchanged.
 */
class AutomationErrorsIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    private static final String NOT_FOUND = "{'detail':'Automation not found'}";
    private static final String NOT_PROVIDED = "{'detail':'Authentication credentials were not provided.'}";
    private static final String INVALID_KEY = "{'detail':'Invalid API key.'}";
    private static final String FORBIDDEN = "{'detail':'You do not have permission to perform this action.'}";
    private static final String BAD_KEY = "{'detail':'Idempotency-Key must be 1 to 255 printable ASCII characters.'}";
    private static final String TOO_LARGE = "{'detail':'Request body too large.'}";
    private static final String RANGE = "{'configuration':{'sampling_rate':['Sampling rate must be between 0.0 and 1.0']}}";
    private static final Map<String, String> BEARER = Map.of("WWW-Authenticate", "Bearer");
    private static final Map<String, String> ALLOW = Map.of("Allow", "GET, PATCH");

    private static AutomationState target;
    private static AutomationState withoutRate;
    private static Map<String, String> keys;

    /** One request and the exact answer it must get. */
    record Case(String label, String method, String path, String token, String contentType, byte[] body, String[] headers,
                int status, String expectedBody, Map<String, String> expectedHeaders, boolean reachesKafka) {

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> errors() {
        List<Case> cases = new ArrayList<>();
        String id = target().getId();
        String editor = fx.token("acme_editor");
        // 400: field errors, each message of §4.3 and §4.4
        field(cases, "blank name", "{'name':''}", "{'name':['This field may not be blank.']}");
        field(cases, "whitespace-only name", "{'name':' \\t\\u00a0 '}", "{'name':['This field may not be blank.']}");
        field(cases, "name of 256 characters", "{'name':'" + "n".repeat(256) + "'}",
                "{'name':['Ensure this field has no more than 255 characters.']}");
        field(cases, "name not a string", "{'name':123}", "{'name':['Not a valid string.']}");
        field(cases, "name a list", "{'name':['a']}", "{'name':['Not a valid string.']}");
        field(cases, "name null", "{'name':null}", "{'name':['This field may not be null.']}");
        field(cases, "name with a NUL character", "{'name':'a\\u0000b'}", "{'name':['Null characters are not allowed.']}");
        field(cases, "name with a lone surrogate", "{'name':'a\\udc00'}", "{'name':['Surrogate characters are not allowed: U+DC00.']}");
        field(cases, "name failing two validators", "{'name':'\\u0000" + "y".repeat(300) + "'}",
                "{'name':['Ensure this field has no more than 255 characters.','Null characters are not allowed.']}");
        for (String value : List.of("'yes'", "'True'", "'1'", "2", "0.5", "-1", "[]", "{}", "''")) {
            field(cases, "is_enabled " + value, "{'is_enabled':" + value + "}", "{'is_enabled':['Must be a valid boolean.']}");
        }
        field(cases, "is_enabled null", "{'is_enabled':null}", "{'is_enabled':['This field may not be null.']}");
        for (String[] type : new String[][] {{"[]", "list"}, {"'x'", "str"}, {"1", "int"}, {"1.5", "float"}, {"true", "bool"}}) {
            field(cases, "configuration " + type[1], "{'configuration':" + type[0] + "}",
                    "{'configuration':['Expected a dictionary of items but got type \\\"" + type[1] + "\\\".']}");
        }
        field(cases, "configuration null", "{'configuration':null}", "{'configuration':['This field may not be null.']}");
        for (String value : List.of("1.5", "-0.1", "'1.01'", "1.0000001", "-1e-9")) {
            field(cases, "sampling_rate " + value, "{'configuration':{'sampling_rate':" + value + "}}", RANGE);
        }
        for (String value : List.of("'abc'", "''", "true", "false", "'NaN'", "'Infinity'", "'-inf'", "[]", "{}", "'0,5'", "1e400")) {
            field(cases, "sampling_rate " + value, "{'configuration':{'sampling_rate':" + value + "}}",
                    "{'configuration':{'sampling_rate':['A valid number is required.']}}");
        }
        field(cases, "sampling_rate null", "{'configuration':{'sampling_rate':null}}",
                "{'configuration':{'sampling_rate':['This field may not be null.']}}");
        for (String[] type : new String[][] {{"'evl_a'", "str"}, {"{}", "dict"}, {"5", "int"}, {"true", "bool"}, {"0.5", "float"}}) {
            field(cases, "evaluator_ids " + type[1], "{'evaluator_ids':" + type[0] + "}",
                    "{'evaluator_ids':['Expected a list of items but got type \\\"" + type[1] + "\\\".']}");
        }
        field(cases, "evaluator_ids null", "{'evaluator_ids':null}", "{'evaluator_ids':['This field may not be null.']}");
        field(cases, "evaluator_ids empty", "{'evaluator_ids':[]}", "{'evaluator_ids':['At least one evaluator is required']}");
        field(cases, "evaluator_ids elements by index",
                "{'evaluator_ids':['evl_acme_quality',7,null,'',' ','x\\u0000',['a'],'\\ud800','evl_acme_quality']}",
                "{'evaluator_ids':{'1':['Not a valid string.'],'2':['This field may not be null.'],"
                        + "'3':['This field may not be blank.'],'4':['This field may not be blank.'],"
                        + "'5':['Null characters are not allowed.'],'6':['Not a valid string.'],"
                        + "'7':['Surrogate characters are not allowed: U+D800.']}}");
        field(cases, "the contract's combined example",
                "{'name':'','is_enabled':'maybe','configuration':{'sampling_rate':2}}",
                "{'name':['This field may not be blank.'],'is_enabled':['Must be a valid boolean.'],"
                        + "'configuration':{'sampling_rate':['Sampling rate must be between 0.0 and 1.0']}}");
        field(cases, "every field wrong, sent in reverse order: reported in serializer order",
                "{'evaluator_ids':[],'configuration':null,'is_enabled':'x','name':5}",
                "{'name':['Not a valid string.'],'is_enabled':['Must be a valid boolean.'],"
                        + "'configuration':['This field may not be null.'],'evaluator_ids':['At least one evaluator is required']}");
        field(cases, "type and value errors of different fields together",
                "{'name':'   ','is_enabled':null,'configuration':{'sampling_rate':'x'},'evaluator_ids':[1]}",
                "{'name':['This field may not be blank.'],'is_enabled':['This field may not be null.'],"
                        + "'configuration':{'sampling_rate':['A valid number is required.']},'evaluator_ids':{'0':['Not a valid string.']}}");
        field(cases, "request-level errors hide state-level ones", "{'name':'','evaluator_ids':['evl_nope']}",
                "{'name':['This field may not be blank.']}");
        cases.add(new Case("state-level errors are reported together", "PATCH", Respan.path(withoutRate().getId()), editor,
                "application/json", bytes("{'configuration':{'model':'m'},'evaluator_ids':['evl_b','evl_acme_quality','evl_a','evl_b']}"),
                new String[0], 400, "{'configuration':{'sampling_rate':['This field is required.']},"
                        + "'evaluator_ids':['Evaluators not found: evl_b, evl_a']}", Map.of(), true));
        cases.add(new Case("another team's evaluator counts as missing", "PATCH", Respan.path(id), editor, "application/json",
                bytes("{'evaluator_ids':['evl_globex_relevance','evl_acme_relevance','evl_globex_toxicity']}"), new String[0], 400,
                "{'evaluator_ids':['Evaluators not found: evl_globex_relevance, evl_globex_toxicity']}", Map.of(), true));
        cases.add(new Case("field errors come before the lookup (404)", "PATCH", Respan.path("auto_nope"), editor,
                "application/json", bytes("{'name':''}"), new String[0], 400, "{'name':['This field may not be blank.']}",
                Map.of(), false));
        cases.add(new Case("the lookup (404) comes before state-level errors", "PATCH", Respan.path("auto_nope"), editor,
                "application/json", bytes("{'evaluator_ids':['evl_nope']}"), new String[0], 404, NOT_FOUND, Map.of(), true));

        // 400: bodies that are not a JSON object
        for (String[] type : new String[][] {{"[1]", "list"}, {"'x'", "str"}, {"1", "int"}, {"1.5", "float"}, {"true", "bool"}}) {
            field(cases, "body " + type[1], type[0], "{'non_field_errors':['Invalid data. Expected a dictionary, but got " + type[1] + ".']}");
        }
        field(cases, "body null", "null", "{'non_field_errors':['No data provided']}");
        field(cases, "body of exactly 64 KiB is read", "{'name':'" + "n".repeat(65536 - 11) + "'}",
                "{'name':['Ensure this field has no more than 255 characters.']}");
        field(cases, "body of 64 KiB and one byte", "{'name':'" + "n".repeat(65537 - 11) + "'}", TOO_LARGE);

        // 400: Idempotency-Key syntax (§2.1)
        for (String[] key : new String[][] {{"256 characters", "k".repeat(256)}, {"empty", ""}, {"a tab inside", "a\tb"}}) {
            cases.add(new Case("Idempotency-Key " + key[0], "PATCH", Respan.path(id), editor, "application/json", bytes("{}"),
                    new String[] {"Idempotency-Key", key[1]}, 400, BAD_KEY, Map.of(), false));
        }
        cases.add(new Case("Idempotency-Key sent twice", "PATCH", Respan.path(id), editor, "application/json", bytes("{}"),
                new String[] {"Idempotency-Key", "one", "Idempotency-Key", "two"}, 400, BAD_KEY, Map.of(), false));

        // 401, with WWW-Authenticate: Bearer
        for (String method : List.of("GET", "PATCH")) {
            byte[] body = method.equals("GET") ? null : bytes("{}");
            String type = body == null ? null : "application/json";
            cases.add(new Case(method + " without Authorization", method, Respan.path(id), null, type, body, new String[0], 401,
                    NOT_PROVIDED, BEARER, false));
            cases.add(new Case(method + " with the Basic scheme", method, Respan.path(id), null, type, body,
                    new String[] {"Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, 401, NOT_PROVIDED, BEARER, false));
            cases.add(new Case(method + " with an unknown key", method, Respan.path(id), "pb.nope.secret", type, body, new String[0],
                    401, INVALID_KEY, BEARER, false));
            cases.add(new Case(method + " with a malformed key", method, Respan.path(id), "not-a-key", type, body, new String[0],
                    401, INVALID_KEY, BEARER, false));
            cases.add(new Case(method + " with a wrong secret", method, Respan.path(id), "pb.acme_editor.wrong", type, body,
                    new String[0], 401, INVALID_KEY, BEARER, false));
            cases.add(new Case(method + " with a revoked key", method, Respan.path(id), key("revoked"), type, body, new String[0],
                    401, INVALID_KEY, BEARER, false));
        }
        // 403
        cases.add(new Case("PATCH with a read-only key", "PATCH", Respan.path(id), fx.token("acme_readonly"), "application/json",
                bytes("{'is_enabled':false}"), new String[0], 403, FORBIDDEN, Map.of(), false));
        cases.add(new Case("PATCH by a viewer", "PATCH", Respan.path(id), fx.token("acme_viewer"), "application/json",
                bytes("{'is_enabled':false}"), new String[0], 403, FORBIDDEN, Map.of(), false));
        cases.add(new Case("GET without automations:read", "GET", Respan.path(id), key("evaluationsOnly"), null, null,
                new String[0], 403, FORBIDDEN, Map.of(), false));
        cases.add(new Case("PATCH without automations:write", "PATCH", Respan.path(id), key("evaluationsOnly"), "application/json",
                bytes("{}"), new String[0], 403, FORBIDDEN, Map.of(), false));
        cases.add(new Case("GET with automations:write only (write does not imply read)", "GET", Respan.path(id),
                key("writeOnly"), null, null, new String[0], 403, FORBIDDEN, Map.of(), false));
        // 404
        cases.add(new Case("GET of an unknown automation", "GET", Respan.path("auto_nope"), editor, null, null, new String[0], 404,
                NOT_FOUND, Map.of(), false));
        cases.add(new Case("PATCH of another team's automation", "PATCH", Respan.path("auto_globex_safety"), editor,
                "application/json", bytes("{'is_enabled':true}"), new String[0], 404, NOT_FOUND, Map.of(), true));
        cases.add(new Case("an unknown route under /api/automations", "GET", "/api/automations/" + id + "/runs/", editor, null, null,
                new String[0], 404, "{'detail':'Not found.'}", Map.of(), false));
        // 405, before authentication (check 1)
        for (String method : List.of("PUT", "POST", "DELETE")) {
            cases.add(new Case(method + " is not allowed", method, Respan.path(id), editor, "application/json", bytes("{}"),
                    new String[0], 405, "{'detail':'Method \\\"" + method + "\\\" not allowed.'}", ALLOW, false));
            cases.add(new Case(method + " without credentials is still a 405", method, "/api/automations/" + id, null, null, null,
                    new String[0], 405, "{'detail':'Method \\\"" + method + "\\\" not allowed.'}", ALLOW, false));
        }
        // 415
        for (String type : List.of("text/plain", "application/xml", "application/merge-patch+json", "text/plain; charset=utf-8")) {
            cases.add(new Case("Content-Type " + type, "PATCH", Respan.path(id), editor, type, bytes("{'is_enabled':false}"),
                    new String[0], 415, "{'detail':'Unsupported media type \\\"" + type + "\\\" in request.'}", Map.of(), false));
        }
        cases.add(new Case("a body without Content-Type", "PATCH", Respan.path(id), editor, null, bytes("{'is_enabled':false}"),
                new String[0], 415, "{'detail':'Unsupported media type \\\"\\\" in request.'}", Map.of(), false));
        cases.add(new Case("JSON with a charset", "PATCH", Respan.path(id), editor, "application/json; charset=UTF-8",
                bytes("{'is_enabled':'x'}"), new String[0], 400, "{'is_enabled':['Must be a valid boolean.']}", Map.of(), false));

        // §4.7: the first failing check decides
        cases.add(new Case("order: method before authentication", "PUT", Respan.path(id), "pb.nope.secret", "text/plain",
                bytes("nonsense"), new String[0], 405, "{'detail':'Method \\\"PUT\\\" not allowed.'}", ALLOW, false));
        cases.add(new Case("order: authentication before permission and body", "PATCH", Respan.path(id), null, "text/plain",
                bytes("{"), new String[] {"Idempotency-Key", ""}, 401, NOT_PROVIDED, BEARER, false));
        cases.add(new Case("order: permission before Idempotency-Key and body", "PATCH", Respan.path(id), fx.token("acme_viewer"),
                "text/plain", bytes("{"), new String[] {"Idempotency-Key", ""}, 403, FORBIDDEN, Map.of(), false));
        cases.add(new Case("order: Idempotency-Key before the body", "PATCH", Respan.path(id), editor, "text/plain", bytes("{"),
                new String[] {"Idempotency-Key", "x".repeat(300)}, 400, BAD_KEY, Map.of(), false));
        cases.add(new Case("order: size before Content-Type", "PATCH", Respan.path(id), editor, "text/plain",
                new byte[70_000], new String[0], 400, TOO_LARGE, Map.of(), false));
        cases.add(new Case("order: Content-Type before JSON", "PATCH", Respan.path(id), editor, "text/plain", bytes("{"),
                new String[0], 415, "{'detail':'Unsupported media type \\\"text/plain\\\" in request.'}", Map.of(), false));
        cases.add(new Case("order: JSON syntax before the lookup", "PATCH", Respan.path("auto_nope"), editor, "application/json",
                bytes("[]"), new String[0], 400, "{'non_field_errors':['Invalid data. Expected a dictionary, but got list.']}",
                Map.of(), false));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void answersInDrfsExactWords(Case c) {
        Map<Integer, Long> before = commandOffsets();

        HttpResponse<String> response = Respan.send(c.method(), c.path(), c.token(), c.body(), c.contentType(), c.headers());

        assertBody(response, c.status(), c.expectedBody());
        c.expectedHeaders().forEach((name, value) -> assertThat(response.headers().allValues(name)).as(name).containsExactly(value));
        if (c.status() != 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
        assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
        if (!c.reachesKafka()) {
            assertThat(commandOffsets()).as("commands topic end offsets").isEqualTo(before);
        }
        assertThat(stored(target().getId())).isEqualTo(target());
        assertThat(stored(withoutRate().getId())).isEqualTo(withoutRate());
    }

    @Test
    void malformedJsonAndRepeatedMembersAreParseErrors() {
        for (String body : List.of("{\"name\":", "{\"name\":\"x\"", "{\"name\" \"x\"}", "{'name':'x'}", "{\"name\":\"x\",}",
                "{\"name\":\"x\"}}", "{\"a\":NaN}", "  ", "\n", "{\"name\":\"a\",\"name\":\"b\"}",
                "{\"configuration\":{\"sampling_rate\":0.1,\"sampling_rate\":0.2}}")) {
            HttpResponse<String> response = patch(target().getId(), "acme_editor", body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            var json = Respan.tree(response);
            assertThat(json.propertyNames()).as(body).containsExactly("detail");
            assertThat(json.get("detail").stringValue()).as(body).startsWith("JSON parse error - ").doesNotContain("\tat ", "Exception");
        }
        assertThat(Respan.tree(patch(target().getId(), "acme_editor", "{\"name\":\"a\",\"name\":\"b\"}")).get("detail").stringValue())
                .contains("\"name\"");
        assertThat(stored(target().getId())).isEqualTo(target());
    }

    @Test
    void reusingAKeyForAnotherRequestIs409BeforeFieldErrorsAndNotStored() {
        AutomationState automation = freshAutomation(b -> { });
        String key = "conflict-" + UUID.randomUUID();
        assertThat(patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}", "Idempotency-Key", key).statusCode()).isEqualTo(200);
        Map<Integer, Long> before = commandOffsets();

        HttpResponse<String> conflict = patch(automation.getId(), "acme_editor", json("{'name':'','is_enabled':'x'}"),
                "Idempotency-Key", key);
        HttpResponse<String> again = patch(automation.getId(), "acme_editor", json("{'name':'','is_enabled':'x'}"),
                "Idempotency-Key", key);

        String body = "{'detail':'Idempotency-Key was already used with a different request.','code':'idempotency_key_reused'}";
        assertBody(conflict, 409, body);
        assertBody(again, 409, body);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.headers().firstValue("X-Request-Id")).isNotEqualTo(conflict.headers().firstValue("X-Request-Id"));
        assertThat(commandOffsets()).isEqualTo(before);
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(2L);
    }

    @Test
    void anUnexpectedFailureIsDrfs500WithoutDetailsAndIsNotStored() {
        AutomationState automation = freshAutomation(b -> { });
        String key = "fail-" + UUID.randomUUID();
        // Fault injection scoped to this one Idempotency-Key: claiming it fails inside the database.
        fx.jdbi().useHandle(h -> {
            h.execute("create or replace function respan_it_fail() returns trigger language plpgsql as"
                    + " $$ begin raise exception 'injected failure for %', new.idempotency_key; end $$");
            h.execute("create trigger respan_it_fail before insert on command_request for each row"
                    + " when (new.idempotency_key = '" + key + "') execute function respan_it_fail()");
        });
        Map<Integer, Long> before = commandOffsets();
        HttpResponse<String> failed;
        try {
            failed = patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}", "Idempotency-Key", key);
        } finally {
            fx.jdbi().useHandle(h -> h.execute("drop trigger respan_it_fail on command_request"));
        }

        assertBody(failed, 500, "{'detail':'Internal server error','error_code':'INTERNAL_ERROR'}");
        assertThat(commandOffsets()).isEqualTo(before);
        assertThat(stored(automation.getId())).isEqualTo(automation);
        HttpResponse<String> retried = patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}", "Idempotency-Key", key);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void nonAsciiIdempotencyKeysAreRefusedWhateverTheirEncoding() {
        Map<Integer, Long> before = commandOffsets();
        for (byte[] key : List.of("cl\u00e9".getBytes(StandardCharsets.ISO_8859_1), "cl\u00e9".getBytes(StandardCharsets.UTF_8),
                "\u30ad\u30fc".getBytes(StandardCharsets.UTF_8))) {
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            head.writeBytes(("PATCH " + Respan.path(target().getId()) + " HTTP/1.1\r\nAuthorization: Bearer "
                    + fx.token("acme_editor") + "\r\nContent-Type: application/json\r\nIdempotency-Key: ")
                    .getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(key);

            var response = fx.http().raw(head.toByteArray(), "{}".getBytes(StandardCharsets.US_ASCII));

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(Respan.compact(response.body())).isEqualTo(json(BAD_KEY));
            assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(Respan.UUID_V7));
        }
        assertThat(commandOffsets()).isEqualTo(before);
    }

    @Test
    void anIdempotencyKeyOf255CharactersIsAcceptedAndIgnoredOnGet() {
        String key = "k".repeat(219) + UUID.randomUUID();

        assertThat(patch(target().getId(), "acme_editor", "{}", "Idempotency-Key", key).statusCode()).isEqualTo(200);
        assertThat(Respan.get(target().getId(), "acme_viewer", "Idempotency-Key", "").statusCode()).isEqualTo(200);
        assertThat(Respan.get(target().getId(), "acme_viewer", "Idempotency-Key", "x".repeat(300)).statusCode()).isEqualTo(200);
    }

    private static void field(List<Case> cases, String label, String body, String expected) {
        cases.add(new Case(label, "PATCH", Respan.path(target().getId()), fx.token("acme_editor"), "application/json", bytes(body),
                new String[0], 400, expected, Map.of(), false));
    }

    private static byte[] bytes(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static synchronized AutomationState target() {
        if (target == null) {
            target = freshAutomation(b -> { });
        }
        return target;
    }

    private static synchronized AutomationState withoutRate() {
        if (withoutRate == null) {
            withoutRate = freshAutomation(b -> b.setConfiguration(new AutomationConfiguration(null, List.of())));
        }
        return withoutRate;
    }

    private static synchronized String key(String name) {
        if (keys == null) {
            keys = Map.of("revoked", fx.insertKey(DemoData.ACME, "owner", List.of("*"), true),
                    "evaluationsOnly", fx.insertKey(DemoData.ACME, "owner", List.of("evaluations:*"), false),
                    "writeOnly", fx.insertKey(DemoData.ACME, "editor", List.of("automations:write"), false));
        }
        return keys.get(name);
    }
}
