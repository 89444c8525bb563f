package io.patchbay.devstack.evaluations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/** Assertions shared by the evaluation contract tests: the Autousers error envelope and "nothing changed". */
final class EvaluationChecks {

    /** A UUID v7, lower-case and hyphenated (RFC 9562). */
    static final Pattern UUID_V7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    static final String VERSION = "2026-05-04";

    private EvaluationChecks() {
    }

    /**
     * The response is exactly one Autousers error: the status, {@code {"error":{message,type[,code][,param],request_id}}}
     * with nothing else, {@code code}/{@code param} present only when expected, {@code request_id} equal to the
     * {@code X-Request-Id} header (a UUID v7), JSON content type, and no trace of a stack trace.
     */
    static JsonNode assertError(HttpResponse<String> response, int status, String type, String code, String param) {
        return assertError(response.statusCode(), name -> response.headers().allValues(name), response.body(), status, type, code, param);
    }

    static JsonNode assertError(ApiClient.RawResponse response, int status, String type, String code, String param) {
        return assertError(response.status(), response::headers, response.body(), status, type, code, param);
    }

    private static JsonNode assertError(int actualStatus, Function<String, List<String>> headers, String text,
                                        int status, String type, String code, String param) {
        assertThat(actualStatus).as(text).isEqualTo(status);
        assertThat(headers.apply("Content-Type")).singleElement().satisfies(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = JsonValues.MAPPER.readTree(text);
        assertThat(body.propertyNames()).as(text).containsExactly("error");
        JsonNode error = body.get("error");
        assertThat(error.get("message").isString()).isTrue();
        assertThat(error.get("message").stringValue()).isNotBlank();
        assertThat(error.get("type").stringValue()).isEqualTo(type);
        if (code == null) {
            assertThat(error.has("code")).as("code in " + text).isFalse();
        } else {
            assertThat(error.get("code").stringValue()).isEqualTo(code);
        }
        if (param == null) {
            assertThat(error.has("param")).as("param in " + text).isFalse();
        } else {
            assertThat(error.get("param").stringValue()).isEqualTo(param);
        }
        assertThat(error.propertyNames()).isSubsetOf("message", "type", "code", "param", "request_id");
        assertThat(error.get("request_id").stringValue()).isEqualTo(requestId(headers.apply("X-Request-Id")));
        assertNoStackTrace(text);
        return error;
    }

    /** The single {@code X-Request-Id} of the response, checked to be a UUID v7. */
    static String requestId(HttpResponse<String> response) {
        return requestId(response.headers().allValues("X-Request-Id"));
    }

    static String requestId(List<String> ids) {
        assertThat(ids).as("X-Request-Id headers").hasSize(1);
        assertThat(ids.get(0)).matches(UUID_V7);
        return ids.get(0);
    }

    static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("Exception", "\tat ", "at io.patchbay", "at org.", "at java.",
                "tools.jackson", "org.apache", "<html", "<!doctype");
    }

    /** What an evaluation and the commands topic look like now, to assert later that a refusal changed nothing. */
    static Before before(PatchbayStack fx, String evaluationId) {
        StoredEvaluation stored = fx.data().storedEvaluation(evaluationId).orElse(null);
        EvaluationState state = stored == null ? null : stored.state();
        String hash = stored == null ? null : stored.sharePasswordHash();
        return new Before(fx, evaluationId, state, hash, commandsOnKafka(fx), fx.kafka().evaluationChanges(evaluationId).size());
    }

    static long commandsOnKafka(PatchbayStack fx) {
        return fx.kafka().tail(fx.topics().commands(ResourceType.EVALUATION)).size();
    }

    /** A snapshot taken before a request. */
    record Before(PatchbayStack fx, String evaluationId, EvaluationState state, String hash, long commands, int changes) {

        /** The row (version, {@code updatedAt}, every field, password hash) is as before and no new change event exists for it. */
        void assertUnchanged() {
            StoredEvaluation now = fx.data().storedEvaluation(evaluationId).orElse(null);
            if (state == null) {
                assertThat(now).isNull();
            } else {
                assertThat(now).isNotNull();
                assertThat(now.state().getVersion()).as("version").isEqualTo(state.getVersion());
                assertThat(now.state().getUpdatedAt()).as("updatedAt").isEqualTo(state.getUpdatedAt());
                assertThat(now.state()).isEqualTo(state);
                assertThat(now.sharePasswordHash()).isEqualTo(hash);
            }
            assertThat(fx.kafka().evaluationChanges(evaluationId)).as("change events of " + evaluationId).hasSize(changes);
        }

        /** Nothing was published to the evaluations commands topic since the snapshot. */
        void assertNothingPublished() {
            assertThat(commandsOnKafka(fx)).as("records on the evaluations commands topic").isEqualTo(commands);
        }

        /** A request-level refusal: nothing reached Kafka and nothing changed. */
        void assertRefusedAtTheEdge() {
            assertNothingPublished();
            assertUnchanged();
        }
    }

    /** The instant a response rendered as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    static Instant instant(JsonNode node) {
        assertThat(node.stringValue()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        return Instant.parse(node.stringValue());
    }
}
