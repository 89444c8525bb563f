package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static io.patchbay.devstack.evaluations.EvaluationChecks.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * api-contract §2 on the Autousers route: replay (status, byte-identical body, original request id and version,
 * {@code Idempotent-Replayed}), 409 for a different request, the (team, key) scope, in-flight duplicates waiting,
 * key syntax, and that request-level refusals and 202s are never stored.
 */
class EvaluationIdempotencyIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    private static String newKey() {
        return "idem-" + UUID.randomUUID();
    }

    private static HttpResponse<String> patch(String id, String keyId, String idempotencyKey, String body, String... headers) {
        return fx.http().patchEvaluation(id, fx.token(keyId), body).idempotencyKey(idempotencyKey).headers(headers).send();
    }

    private static void assertReplayOf(HttpResponse<String> replay, HttpResponse<String> original) {
        assertThat(replay.statusCode()).isEqualTo(original.statusCode());
        assertThat(replay.body()).isEqualTo(original.body());
        assertThat(requestId(replay)).isEqualTo(requestId(original));
        assertThat(replay.headers().allValues("Idempotent-Replayed")).containsExactly("true");
        assertThat(replay.headers().allValues("Autousers-Version")).containsExactly(EvaluationChecks.VERSION);
    }

    // ---- replays ----

    @Test
    void aClaimWhoseAdapterDiedBeforePublishingIsPublishedByAnIdenticalRetryAfterTheLease() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();
        String body = "{\"name\":\"after a crash\"}";
        String path = "/api/v1/evaluations/" + id;
        String commandId = Ids.uuidV7();
        String requestId = Ids.uuidV7();
        Instant claimedAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        byte[] fingerprint = new Fingerprints(PatchbayApps.IDEMPOTENCY_SECRET).of("PATCH", path, JsonValues.MAPPER.readTree(body));
        fx.jdbi().useHandle(h -> new CommandRequests().claim(h, new CommandRequest(commandId, DemoData.ACME, "EVALUATION",
                "PATCH", path, requestId, EvaluationChecks.VERSION, key, fingerprint, CommandRequest.CLAIMED,
                claimedAt.plusSeconds(30), claimedAt, claimedAt.plus(1, ChronoUnit.DAYS))));

        HttpResponse<String> retry = patch(id, "acme_editor", key, body);
        HttpResponse<String> again = patch(id, "acme_editor", key, body);

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(retry).get("name").stringValue()).isEqualTo("after a crash");
        assertThat(requestId(retry)).as("the outcome is the claiming request's").isEqualTo(requestId);
        assertThat(retry.headers().allValues("Idempotent-Replayed")).containsExactly("true");
        assertReplayOf(again, retry);
        java.util.List<String> decided = fx.jdbi().withHandle(h -> h.createQuery("select command_id from command_log"
                + " where resource_id = :id").bind("id", id).mapTo(String.class).list());
        assertThat(decided).containsExactly(commandId);
    }

    @Test
    void theSameRequestAgainReplaysTheOutcomeAndAppliesOnce() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();

        HttpResponse<String> first = patch(id, "acme_editor", key, "{\"name\":\"once\",\"allowMultipleRatings\":true}");
        HttpResponse<String> again = patch(id, "acme_editor", key, "{ \"allowMultipleRatings\" : true, \"name\" : \"once\" }");
        HttpResponse<String> otherKeyOfTheTeam = patch(id, "acme_owner", key, "{\"name\":\"once\",\"allowMultipleRatings\":true}",
                "Autousers-Version", EvaluationChecks.VERSION);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertReplayOf(again, first);
        assertReplayOf(otherKeyOfTheTeam, first);
        assertThat(fx.kafka().evaluationChanges(id)).hasSize(1);
        assertThat(fx.data().storedEvaluation(id).orElseThrow().state().getVersion()).isEqualTo(2L);
    }

    static Stream<Arguments> storedRejections() {
        return Stream.of(
                Arguments.of("state-level 400", EvaluationStatus.Ended, "{\"status\":\"Running\"}", 400),
                Arguments.of("state-level 404", null, "{\"name\":\"x\"}", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedRejections")
    void stateLevelRejectionsAreStoredAndReplayedWithTheOriginalRequestId(String label, EvaluationStatus status, String body, int code) {
        String id = status == null ? "eval_missing_" + UUID.randomUUID() : fx.data().newEvaluation(DemoData.ACME, b -> b.setStatus(status));
        String key = newKey();
        long commands = EvaluationChecks.commandsOnKafka(fx);

        HttpResponse<String> first = patch(id, "acme_editor", key, body);
        HttpResponse<String> again = patch(id, "acme_editor", key, body);

        assertThat(first.statusCode()).isEqualTo(code);
        assertReplayOf(again, first);
        assertThat(ApiClient.json(again).get("error").get("request_id").stringValue()).isEqualTo(requestId(first));
        assertThat(EvaluationChecks.commandsOnKafka(fx)).as("one command for both requests").isEqualTo(commands + 1);
    }

    // ---- a different request under the same key: 409, never stored, nothing published ----

    static Stream<Arguments> differentRequests() {
        return Stream.of(
                Arguments.of("other value", "{\"allowMultipleRatings\":true}", "{\"allowMultipleRatings\":false}", false),
                Arguments.of("string vs boolean", "{\"allowMultipleRatings\":true}", "{\"allowMultipleRatings\":\"true\"}", false),
                Arguments.of("extra member", "{\"allowMultipleRatings\":true}", "{\"allowMultipleRatings\":true,\"name\":\"x\"}", false),
                Arguments.of("other evaluation", "{\"allowMultipleRatings\":true}", "{\"allowMultipleRatings\":true}", true),
                // the lookup (step 8) comes before the strict schema (step 9): an invalid body is still a 409
                Arguments.of("invalid body", "{\"allowMultipleRatings\":true}", "{\"bogus\":1}", false),
                Arguments.of("past shareExpiry", "{\"allowMultipleRatings\":true}", "{\"shareExpiry\":\"2020-01-01T00:00:00Z\"}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentRequests")
    void aDifferentRequestUnderTheSameKeyIs409(String label, String firstBody, String secondBody, boolean otherEvaluation) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String second = otherEvaluation ? fx.data().newEvaluation(DemoData.ACME) : id;
        String key = newKey();
        HttpResponse<String> first = patch(id, "acme_editor", key, firstBody);
        EvaluationChecks.Before before = before(fx, second);

        HttpResponse<String> reused = patch(second, "acme_editor", key, secondBody);

        JsonNode error = assertError(reused, 409, "invalid_request_error", "idempotency_key_reused", "Idempotency-Key");
        assertThat(error.get("message").stringValue()).isEqualTo("Idempotency-Key was already used with a different request.");
        assertThat(requestId(reused)).isNotEqualTo(requestId(first));
        assertThat(reused.headers().firstValue("Idempotent-Replayed")).isEmpty();
        before.assertRefusedAtTheEdge();
        assertReplayOf(patch(id, "acme_editor", key, firstBody), first);
    }

    @Test
    void keysAreScopedByTeam() {
        String acme = fx.data().newEvaluation(DemoData.ACME);
        String globex = fx.data().newEvaluation(DemoData.GLOBEX);
        String key = newKey();

        HttpResponse<String> acmeResponse = patch(acme, "acme_owner", key, "{\"name\":\"acme\"}");
        HttpResponse<String> globexResponse = patch(globex, "globex_owner", key, "{\"name\":\"globex\"}");

        assertThat(acmeResponse.statusCode()).isEqualTo(200);
        assertThat(globexResponse.statusCode()).as(globexResponse.body()).isEqualTo(200);
        assertThat(globexResponse.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(fx.data().storedEvaluation(globex).orElseThrow().state().getName()).isEqualTo("globex");
    }

    // ---- key syntax (§2.1), before the body is even read ----

    static Stream<Arguments> badKeys() {
        String param = "Idempotency-Key";
        return Stream.of(
                Arguments.of("256 characters", new String[] {"k".repeat(256)}, param),
                Arguments.of("empty", new String[] {""}, param),
                Arguments.of("only spaces", new String[] {"   "}, param),
                Arguments.of("non-ASCII", new String[] {"cl\u00e9"}, param),
                Arguments.of("sent twice", new String[] {"a", "b"}, param),
                Arguments.of("sent twice, same value", new String[] {"a", "a"}, param),
                // Control characters make the header line invalid HTTP (RFC 9110 field-value); the adapter still
                // answers with the contract's Idempotency-Key error (issue 12).
                Arguments.of("control character", new String[] {"a\u0001b"}, param),
                Arguments.of("DEL", new String[] {"a\u007fb"}, param));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void malformedKeysAre400(String label, String[] values, String param) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        EvaluationChecks.Before before = before(fx, id);
        StringBuilder head = new StringBuilder("PATCH /api/v1/evaluations/" + id + " HTTP/1.1\r\nAuthorization: Bearer "
                + fx.token("acme_editor") + "\r\nContent-Type: application/json");
        for (String value : values) {
            head.append("\r\nIdempotency-Key: ").append(value);
        }

        ApiClient.RawResponse response = fx.http().raw(head.toString(), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertError(response, 400, "invalid_request_error", null, param);
        before.assertRefusedAtTheEdge();
    }

    @Test
    void keysOfUpTo255PrintableCharactersAreAcceptedAndTrimmed() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = ("k~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}" + UUID.randomUUID()).substring(0, 60) + "z".repeat(195);

        HttpResponse<String> first = patch(id, "acme_editor", key, "{\"name\":\"long key\"}");
        HttpResponse<String> padded = patch(id, "acme_editor", "  " + key + "\t", "{\"name\":\"long key\"}");

        assertThat(key).hasSize(255);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertReplayOf(padded, first);
    }

    @Test
    void getIgnoresTheHeader() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer"))
                .header("Idempotency-Key", "k".repeat(300)).send();

        assertThat(response.statusCode()).isEqualTo(200);
    }

    // ---- only outcomes are stored ----

    static Stream<Arguments> requestLevelRefusals() {
        return Stream.of(
                Arguments.of("syntactic 400", "acme_editor", "{\"name\":\"\"}", 400),
                Arguments.of("malformed JSON", "acme_editor", "{\"name\":", 400),
                Arguments.of("role 403", "acme_viewer", "{\"name\":\"retry\"}", 403),
                Arguments.of("admin field 403", "acme_editor", "{\"type\":\"SSE\"}", 403),
                Arguments.of("scope 403", "acme_readonly", "{\"name\":\"retry\"}", 403));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestLevelRefusals")
    void requestLevelRefusalsAreNotStoredSoARetryExecutes(String label, String refusedKeyId, String refusedBody, int status) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();

        HttpResponse<String> refused = patch(id, refusedKeyId, key, refusedBody);
        HttpResponse<String> retry = patch(id, "acme_owner", key, "{\"name\":\"retry\"}");

        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(ApiClient.json(retry).get("name").stringValue()).isEqualTo("retry");
    }

    @Test
    void anUnauthenticatedRequestIsNotStored() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();

        HttpResponse<String> refused = fx.http().call("PATCH", "/api/v1/evaluations/" + id).header("Authorization", "Bearer pb.nobody.x")
                .header("Idempotency-Key", key).json("{\"name\":\"retry\"}").send();
        HttpResponse<String> retry = patch(id, "acme_editor", key, "{\"name\":\"retry\"}");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    // ---- in flight: 202 is not stored, a duplicate waits for the original's outcome ----

    @Test
    void aDuplicateOfACommandInFlightWaitsForItsOutcome() throws Exception {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();
        String body = "{\"description\":\"in flight\"}";
        long commands = EvaluationChecks.commandsOnKafka(fx);
        HttpResponse<String> accepted;
        HttpResponse<String> asyncDuplicate;
        CompletableFuture<HttpResponse<String>> waitingDuplicate;
        fx.pauseProcessor();
        try {
            accepted = patch(id, "acme_editor", key, body, "Prefer", "respond-async");
            asyncDuplicate = patch(id, "acme_editor", key, body, "Prefer", "respond-async");
            waitingDuplicate = CompletableFuture.supplyAsync(() -> patch(id, "acme_editor", key, body));
            try {
                waitingDuplicate.get(700, TimeUnit.MILLISECONDS);
                throw new AssertionError("the duplicate answered while its original was still in flight");
            } catch (TimeoutException expected) {
                // still waiting, as it should
            }
        } finally {
            fx.resumeProcessor();
        }
        HttpResponse<String> completed = waitingDuplicate.get(30, TimeUnit.SECONDS);

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(asyncDuplicate.statusCode()).isEqualTo(202);
        assertThat(asyncDuplicate.headers().firstValue("Location")).isEqualTo(accepted.headers().firstValue("Location"));
        assertThat(requestId(asyncDuplicate)).isEqualTo(requestId(accepted));
        assertThat(asyncDuplicate.headers().allValues("Idempotent-Replayed")).containsExactly("true");
        assertThat(ApiClient.json(asyncDuplicate).get("createdAt")).isEqualTo(ApiClient.json(accepted).get("createdAt"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(requestId(completed)).isEqualTo(requestId(accepted));
        assertThat(completed.headers().allValues("Idempotent-Replayed")).containsExactly("true");
        assertThat(ApiClient.json(completed).get("description").stringValue()).isEqualTo("in flight");
        assertThat(EvaluationChecks.commandsOnKafka(fx)).as("one command for three requests").isEqualTo(commands + 1);
        assertThat(fx.kafka().evaluationChanges(id)).hasSize(1);
        // The 202 was not the stored outcome: a later retry gets the real one.
        assertReplayOf(patch(id, "acme_editor", key, body, "Prefer", "respond-async"), completed);
    }

    @Test
    void aLateRetryReplaysEvenWhenItsShareExpiryHasPassed() {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String key = newKey();
        Instant expiry = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        String body = "{\"shareExpiry\":\"" + expiry + "\"}";

        HttpResponse<String> first = patch(id, "acme_editor", key, body);
        Poll.until("the share expiry passed", Duration.ofSeconds(10), () -> Instant.now().isAfter(expiry));
        HttpResponse<String> late = patch(id, "acme_editor", key, body);
        HttpResponse<String> fresh = patch(id, "acme_editor", newKey(), body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertReplayOf(late, first);
        assertError(fresh, 400, "invalid_request_error", null, "shareExpiry");
    }
}
