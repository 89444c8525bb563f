package io.patchbay.devstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.RawHttp;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * Inputs that used to get a 500, Tomcat's own answer or a silently different meaning, each now answered by the API in
 * its own format with {@code X-Request-Id} (docs/autousers-differences.md and docs/respan-differences.md say what was
 * decided where the contract is silent).
 */
class RequestEdgeCasesIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final RawHttp http = new RawHttp(fx.apps().httpPort(), null, Duration.ofSeconds(30));
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    @AfterAll
    static void close() {
        http.close();
    }

    private static RawHttp.Response send(String head, String body) {
        return http.send(head, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String auth(String keyId) {
        return "\r\nAuthorization: Bearer " + fx.token(keyId);
    }

    private static JsonNode json(RawHttp.Response response) {
        assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID_V7));
        return JsonValues.MAPPER.readTree(response.text());
    }

    /** Autousers' envelope with the request id of the header. */
    private static JsonNode autousersError(RawHttp.Response response) {
        JsonNode error = json(response).get("error");
        assertThat(error.get("request_id").stringValue()).isEqualTo(response.header("X-Request-Id").orElseThrow());
        return error;
    }

    /** What a refusal's body must say, in the format of the API the path belongs to. */
    private sealed interface Format {
        void check(RawHttp.Response response);
    }

    /** Autousers' envelope: its type, and its code and param where given. */
    private record Envelope(String type, String code, String param) implements Format {
        Envelope(String type) {
            this(type, null, null);
        }

        @Override
        public void check(RawHttp.Response response) {
            JsonNode error = autousersError(response);
            assertThat(error.get("type").stringValue()).isEqualTo(type);
            if (code != null) {
                assertThat(error.path("code").asString(null)).isEqualTo(code);
            }
            if (param != null) {
                assertThat(error.path("param").asString(null)).isEqualTo(param);
            }
        }
    }

    /** Respan's (DRF's) {@code {"detail": ...}}. */
    private record Detail(String detail) implements Format {
        @Override
        public void check(RawHttp.Response response) {
            assertThat(json(response).get("detail").stringValue()).isEqualTo(detail);
        }
    }

    private static final Envelope INVALID = new Envelope("invalid_request_error");
    private static final Envelope NO_ROUTE = new Envelope("not_found_error", "route_not_found", null);
    private static final Envelope NOT_ALLOWED = new Envelope("invalid_request_error", "method_not_allowed", null);

    /**
     * A request refused at the edge: the request line and headers ({@code keyId}'s key is added when not null), a body,
     * and the answer: status, {@code Allow} of a 405, and the body's format.
     */
    private record Refusal(String head, String keyId, String body, int status, String allow, Format format) {
        static Refusal of(String head, String keyId, int status, Format format) {
            return new Refusal(head, keyId, "", status, null, format);
        }

        static Refusal notAllowed(String head, String allow, Format format) {
            return new Refusal(head, "acme_viewer", "", 405, allow, format);
        }
    }

    static Stream<Arguments> refusals() {
        String evaluation = "/api/v1/evaluations/eval_acme_draft";
        String automation = "/api/automations/auto_acme_quality/";
        String idempotencyDel = "\r\nContent-Type: application/json\r\nIdempotency-Key: a\u007fb";
        String preflight = "\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: PATCH"
                + "\r\nAccess-Control-Request-Headers: authorization";
        List<Arguments> cases = new ArrayList<>(List.of(
                argumentSet("a query parameter that does not decode, Autousers: 400",
                        Refusal.of("GET /api/v1/changes?li%C0%AFmit=5 HTTP/1.1", "acme_viewer", 400, INVALID)),
                argumentSet("a query parameter that does not decode, Respan: 400",
                        Refusal.of("GET /api/automations/auto_acme_quality/changes/?page%C0%AF_size=5 HTTP/1.1", "acme_viewer",
                                400, new Detail("Bad request."))),
                argumentSet("an Accept nothing matches: 406, not 500",
                        Refusal.of("GET /actuator/health HTTP/1.1\r\nAccept: image/png", null, 406, INVALID)),
                argumentSet("a DEL in Idempotency-Key, Autousers: that header's error",
                        new Refusal("PATCH " + evaluation + " HTTP/1.1" + idempotencyDel, "acme_editor", "{}", 400, null,
                                new Envelope("invalid_request_error", null, "Idempotency-Key"))),
                argumentSet("a DEL in Idempotency-Key, Respan: that header's error",
                        new Refusal("PATCH " + automation + " HTTP/1.1" + idempotencyDel, "acme_editor", "{}", 400, null,
                                new Detail("Idempotency-Key must be 1 to 255 printable ASCII characters."))),
                argumentSet("a target with an invalid character, in the format of the API it names",
                        Refusal.of("GET /api/automations/a|b/ HTTP/1.1", "acme_viewer", 400, new Detail("Bad request."))),
                argumentSet("path parameters name no route, Autousers: 404",
                        Refusal.of("GET " + evaluation + ";b=c HTTP/1.1", "acme_viewer", 404, NO_ROUTE)),
                argumentSet("path parameters name no route, Respan: 404",
                        Refusal.of("GET /api/automations/auto_acme_quality;x/ HTTP/1.1", "acme_viewer", 404, new Detail("Not found."))),
                argumentSet("CONNECT, which Tomcat does not implement: the 405 of any method not served",
                        Refusal.notAllowed("CONNECT " + evaluation + " HTTP/1.1", "GET, PATCH", NOT_ALLOWED)),
                argumentSet("HTTP/2.0 in a request line: 400, not 505",
                        Refusal.of("GET " + evaluation + " HTTP/2.0", null, 400, INVALID)),
                argumentSet("OPTIONS * (Tomcat would answer it itself): 405",
                        Refusal.notAllowed("OPTIONS * HTTP/1.1", "GET, PATCH", NOT_ALLOWED)),
                argumentSet("another method with the target *: 400", Refusal.of("GET * HTTP/1.1", "acme_viewer", 400, INVALID)),
                // The million-request fuzz run's only 505 (seed 20261204 index 803585 of the generator before 346475f):
                // Tomcat answered OPTIONS * itself, so the 505 it had set for the version went out bare.
                argumentSet("OPTIONS * HTTP/2.0: the 400 of an unsupported version, not a bare 505",
                        Refusal.of("OPTIONS * HTTP/2.0", "acme_viewer", 400, INVALID)),
                argumentSet("OPTIONS * HTTP/0.9: the 400 of an unsupported version, not a bare 505",
                        Refusal.of("OPTIONS * HTTP/0.9", "acme_viewer", 400, INVALID)),
                argumentSet("a CORS preflight, Autousers: the 405 of a plain OPTIONS, no CORS headers",
                        Refusal.notAllowed("OPTIONS " + evaluation + " HTTP/1.1" + preflight, "GET, PATCH", NOT_ALLOWED)),
                argumentSet("a CORS preflight, Respan: the 405 of a plain OPTIONS, no CORS headers",
                        Refusal.notAllowed("OPTIONS " + automation + " HTTP/1.1" + preflight, "GET, PATCH",
                                new Detail("Method \"OPTIONS\" not allowed."))),
                argumentSet("OPTIONS on health: 405",
                        Refusal.notAllowed("OPTIONS /actuator/health HTTP/1.1", "GET", NOT_ALLOWED)),
                argumentSet("OPTIONS on health as a malformed preflight: 405, no CORS headers",
                        Refusal.notAllowed("OPTIONS /actuator/health HTTP/1.1\r\nOrigin: http://localhost:3000"
                                + "\r\nAccess-Control-Request-Method: PATCH\tX", "GET", NOT_ALLOWED)),
                // Fuzz seed 20261204 index 676599: the actuator's own 404 has no body.
                argumentSet("an unknown health group with an encoded #: the 404 of every unrouted path",
                        Refusal.of("GET /actuator/health/livenes%23s HTTP/1.1", null, 404, NO_ROUTE)),
                argumentSet("an unknown health group: the 404 of every unrouted path",
                        Refusal.of("GET /actuator/health/unknown HTTP/1.1", null, 404, NO_ROUTE)),
                // Fuzz seed 20261204 index 785569: the health endpoint failed on the unnormalized segments (a 500).
                argumentSet("a health path with a dot and an empty segment: the 404 of every unrouted path",
                        Refusal.of("GET /actuator/health/..//liveness HTTP/1.1", null, 404, NO_ROUTE)),
                argumentSet("a health path with an empty segment: the 404 of every unrouted path",
                        Refusal.of("GET /actuator/health//liveness HTTP/1.1", null, 404, NO_ROUTE))));
        for (String encoded : List.of("%2F", "%5C", "%00", "%2e%2e%2F")) {
            cases.add(argumentSet("a path with " + encoded + ", which Tomcat refuses, Autousers: 400",
                    Refusal.of("GET /api/v1/evaluations/a" + encoded + "b HTTP/1.1", "acme_viewer", 400, INVALID)));
            cases.add(argumentSet("a path with " + encoded + ", which Tomcat refuses, Respan: 400",
                    Refusal.of("GET /api/automations/a" + encoded + "b/ HTTP/1.1", "acme_viewer", 400, new Detail("Bad request."))));
        }
        // Fuzz seed 20261204 index 121692: the framework failed adding a charset to the wildcard while building the 404.
        for (String contentType : List.of("*/*", "application/*")) {
            cases.add(argumentSet("Content-Type " + contentType + " on an unrouted Autousers path: 404, not 500",
                    Refusal.of("GET " + evaluation + "/..d/..b HTTP/1.1\r\nContent-Type: " + contentType
                            + "\r\nAccept: application/*", "acme_viewer", 404, new Envelope("not_found_error"))));
            cases.add(argumentSet("Content-Type " + contentType + " on an unrouted Respan path: 404, not 500",
                    new Refusal("PATCH /api/automations/auto_acme_quality/..x/..y/ HTTP/1.1\r\nContent-Type: " + contentType,
                            "acme_editor", "{}", 404, null, new Detail("Not found."))));
        }
        // The history routes only read: their 405 offers GET alone (RFC 9110 §15.5.6), not the resource routes' PATCH.
        for (String method : List.of("PATCH", "OPTIONS", "PUT")) {
            cases.add(argumentSet(method + " on an evaluation's history: 405 with Allow: GET",
                    Refusal.notAllowed(method + " " + evaluation + "/changes HTTP/1.1", "GET", NOT_ALLOWED)));
            cases.add(argumentSet(method + " on the team's feed: 405 with Allow: GET",
                    Refusal.notAllowed(method + " /api/v1/changes HTTP/1.1", "GET", NOT_ALLOWED)));
            cases.add(argumentSet(method + " on an automation's history: 405 with Allow: GET",
                    Refusal.notAllowed(method + " /api/automations/auto_acme_quality/changes/ HTTP/1.1", "GET",
                            new Detail("Method \"" + method + "\" not allowed."))));
        }
        // Fuzz seed 20261204 indexes 40917, 43177: Tomcat refused the target (an invalid character) and then the
        // method; the 405 took its Allow from the target with its query, which names no route.
        cases.add(argumentSet("CONNECT on a history target Tomcat cannot read: 405 with Allow: GET",
                Refusal.notAllowed("CONNECT /api/v1/evaluations/a\"b/changes?cursor=-1 HTTP/1.1", "GET", NOT_ALLOWED)));
        cases.add(argumentSet("PATCH on an automation's history without its slash: 405 with Allow: GET",
                Refusal.notAllowed("PATCH /api/automations/auto_acme_quality/changes HTTP/1.1", "GET",
                        new Detail("Method \"PATCH\" not allowed."))));
        // The container's error path is where failures are rendered, not a route (the framework answered OPTIONS on
        // it with an empty 200 listing every method).
        for (String method : List.of("GET", "POST", "PATCH", "OPTIONS", "DELETE")) {
            cases.add(argumentSet(method + " /error requested directly: the 404 of an unrouted path",
                    Refusal.of(method + " /error HTTP/1.1", "acme_viewer", 404, NO_ROUTE)));
        }
        cases.add(argumentSet("/error reached through a dot segment: the 404 of an unrouted path",
                Refusal.of("OPTIONS /api/../error HTTP/1.1", "acme_viewer", 404, NO_ROUTE)));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aRequestRefusedAtTheEdgeIsAnsweredInTheApisFormat(Refusal refusal) {
        // each on a connection of its own: some of these answers close it
        try (RawHttp once = new RawHttp(fx.apps().httpPort(), null, Duration.ofSeconds(30))) {
            RawHttp.Response answer = once.send(refusal.head() + (refusal.keyId() == null ? "" : auth(refusal.keyId())),
                    refusal.body().getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).isEqualTo(refusal.status());
            refusal.format().check(answer);
            if (refusal.allow() != null) {
                assertThat(answer.headers("allow")).containsExactly(refusal.allow());
            }
            assertThat(answer.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=x", "*/*", "application/*"})
    void oddContentTypesOnAPatchAreTheApisOwnRefusal(String contentType) {
        String evaluation = fx.data().newEvaluation(DemoData.ACME);
        RawHttp.Response autousers = send("PATCH /api/v1/evaluations/" + evaluation + " HTTP/1.1" + auth("acme_editor")
                + "\r\nContent-Type: " + contentType, "{\"name\":\"x\"}");
        RawHttp.Response respan = send("PATCH /api/automations/auto_acme_quality/ HTTP/1.1" + auth("acme_editor")
                + "\r\nContent-Type: " + contentType, "{\"name\":\"x\"}");

        assertThat(autousers.status()).isEqualTo(400);
        assertThat(autousersError(autousers).get("message").stringValue()).isEqualTo("Content-Type must be application/json.");
        assertThat(respan.status()).isEqualTo(415);
        assertThat(json(respan).get("detail").stringValue()).isEqualTo("Unsupported media type \"" + contentType + "\" in request.");
        assertThat(fx.data().storedEvaluation(evaluation).orElseThrow().state().getVersion()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "*/*", "application/*", "application/json"})
    void healthAnswersWhateverTheContentType(String contentType) {
        RawHttp.Response health = send("GET /actuator/health HTTP/1.1\r\nContent-Type: " + contentType, "{\"a\":[1]}");

        assertThat(health.status()).isEqualTo(200);
        assertThat(json(health).get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void headOfAGetRouteIsTheGetWithoutItsBody() {
        RawHttp.Response head = http.exchange(("HEAD /api/v1/evaluations/eval_acme_draft HTTP/1.1\r\nHost: x" + auth("acme_viewer")
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), true);
        RawHttp.Response unauthorized = http.exchange("HEAD /api/v1/evaluations/eval_acme_draft HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), true);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("X-Request-Id")).isPresent();
        assertThat(unauthorized.status()).isEqualTo(401);
    }

    @Test
    void aLoneSurrogateInAFreeFormConfigurationIsRefusedNotStoredAsAQuestionMark() {
        String automation = fx.insertAutomation(DemoData.ACME, b -> { }).getId();

        RawHttp.Response answer = send("PATCH /api/automations/" + automation + "/ HTTP/1.1" + auth("acme_editor")
                + "\r\nContent-Type: application/json", "{\"configuration\":{\"note\":\"x\\ud800y\"}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).get("configuration").toString()).contains("Surrogate characters are not allowed: U+D800.");
        assertThat(fx.data().automation(DemoData.ACME, automation).getVersion()).isEqualTo(1);
    }

    @Test
    void aConfigurationNestedDeeperThanTheLimitIsRefused() {
        String automation = fx.insertAutomation(DemoData.ACME, b -> { }).getId();
        String deep = "[".repeat(65) + "1" + "]".repeat(65);

        RawHttp.Response answer = send("PATCH /api/automations/" + automation + " HTTP/1.1" + auth("acme_editor")
                + "\r\nContent-Type: application/json", "{\"configuration\":{\"deep\":" + deep + "}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).get("configuration").toString()).contains("Nested too deeply");
        assertThat(List.of(fx.data().automation(DemoData.ACME, automation).getVersion())).containsExactly(1L);
    }

    @Test
    void aConfigurationFailingBothAsAWholeAndInItsSamplingRateIsOne400NotA500() {
        // Fuzz seed 20261204 index 10089: the Respan error body could not hold both errors of "configuration".
        String automation = fx.insertAutomation(DemoData.ACME, b -> { }).getId();

        RawHttp.Response answer = send("PATCH /api/automations/" + automation + " HTTP/1.1" + auth("acme_editor")
                + "\r\nContent-Type: application/json",
                "{\"configuration\":{\"sampling_rate\":\"gemini\",\"extra\":\"\\udc00!\"},\"is_enabled\":null}");

        assertThat(answer.status()).isEqualTo(400);
        JsonNode body = json(answer);
        assertThat(body.get("configuration").toString()).isEqualTo("[\"Surrogate characters are not allowed: U+DC00.\"]");
        assertThat(body.has("is_enabled")).isTrue();
        assertThat(fx.data().automation(DemoData.ACME, automation).getVersion()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /actuator/health HTTP/1.1\r\nConnection: close\r\nExpect: 100-continue",
            "GET /api/v1/changes?limit=&type=%C0 HTTP/1.1"})
    void aBodyTheServerDoesNotNeedIsNotReadAndTheAnswerSentBeforeTheCloseArrives(String head) {
        // Fuzz seed 20261204 indexes 97368, 281931: the server answers without reading a body it has no use for and
        // closes (Connection: close, or a 400 that drops the connection); the client's write then fails, but the
        // answer is there to read (RawHttp reads it instead of reporting "no answer").
        byte[] body = new byte[8 << 20];
        java.util.Arrays.fill(body, (byte) '[');
        try (RawHttp once = new RawHttp(fx.apps().httpPort(), null, Duration.ofSeconds(30))) {
            RawHttp.Response answer = once.send(head + auth("acme_viewer"), body);

            assertThat(answer.status()).isIn(200, 400);
            assertThat(json(answer).isObject()).isTrue();
        }
    }

    /**
     * Fuzz seed 20261204 (a 100,000-request run): a PATCH whose body is shorter than its {@code Content-Length} cannot be
     * answered before the rest arrives; the server waits {@code server.tomcat.connection-timeout} for it, then answers
     * 408 in the API's format (not the 500 of a read that failed) and closes the connection: a stalled request holds a
     * connection for at most twice that timeout. On an adapter of its own with a 2 s timeout, so that the test waits
     * seconds rather than twice the shipped 20 s, which the shared adapter is checked to run with.
     */
    @Test
    void aBodyShorterThanItsContentLengthGetsA408AfterTheConnectionTimeoutAndTheConnectionIsClosed() throws Exception {
        byte[] head = ("PATCH /api/automations/auto_acme_quality/ HTTP/1.1\r\nHost: x" + auth("acme_editor")
                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 100\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] part = {'{', '"', 0x01, (byte) 0xC3, (byte) 0xA9, 0x7F};
        assertThat(fx.apps().adapter().getEnvironment().getProperty("server.tomcat.connection-timeout"))
                .as("the shipped connection timeout").isEqualTo("20s");
        SharedInfrastructure.Namespace ns = fx.namespace();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings,
                     Map.of("server.tomcat.connection-timeout", CONNECTION_TIMEOUT.toMillis() + "ms"));
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), PatchbayApps.localPort(adapter))) {
            socket.setSoTimeout(60_000);
            long sent = System.nanoTime();
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(part);
            socket.getOutputStream().flush();

            byte[] answer = socket.getInputStream().readAllBytes(); // until the server closes
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - sent);

            String text = new String(answer, StandardCharsets.UTF_8);
            assertThat(text).startsWith("HTTP/1.1 408 ");
            assertThat(text).containsIgnoringCase("\r\nX-Request-Id: ").containsIgnoringCase("\r\nConnection: close\r\n");
            assertThat(JsonValues.MAPPER.readTree(text.substring(text.indexOf("\r\n\r\n") + 4)).get("detail").stringValue())
                    .isEqualTo("The request was not received in full within the server's time limit.");
            // Connection: close makes Tomcat drain the rest of the body after the answer, for one more timeout
            assertThat(closedAfter).as("the connection timeout, once to answer and at most once more to close")
                    .isBetween(CONNECTION_TIMEOUT.minusMillis(100), CONNECTION_TIMEOUT.multipliedBy(2).plusSeconds(10));
        }
    }
}
