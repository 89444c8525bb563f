package io.patchbay.devstack.automations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Respan side of {@link PatchbayStack}: calls to {@code /api/automations/{automation_id}/} as a Respan
 * client makes them, exact-body comparison (member order included), and the seed's own evaluators.
 */
final class Respan {

    static final PatchbayStack fx = PatchbayStack.shared();
    static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A server-generated UUID v7 in lower-case hyphenated form (api-contract §1.2). */
    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    /** DRF timestamps: UTC, Z, six fractional digits only when the microseconds are not zero (§1.7). */
    static final String DRF_TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.(?!000000)\\d{6})?Z";

    /** The evaluators of the seed page (003), seeded for team_acme. */
    static final EvaluatorRef QUALITY = new EvaluatorRef("eval-quality-uuid", "Response Quality Evaluator", "response_quality",
            "respan_custom_evaluator");
    static final EvaluatorRef SAFETY = new EvaluatorRef("eval-safety-uuid", "Safety Evaluator", "safety", "");
    static final EvaluatorRef HALLUCINATION = new EvaluatorRef("eval-hallucination-uuid", "Hallucination Evaluator",
            "hallucination", "");

    /** The demo condition every fresh acme automation has, as rendered. */
    static final String ACME_CONDITION = "{'id':'cond_acme_success','condition_slug':'success_logs','name':'Successful requests',"
            + "'condition_type':'single_log'}";

    private Respan() {
    }

    static void seedEvaluators() {
        for (EvaluatorRef evaluator : List.of(QUALITY, SAFETY, HALLUCINATION)) {
            fx.data().ensureEvaluator(DemoData.ACME, evaluator);
        }
    }

    /** A fresh acme automation as in the seed's examples: the quality and safety evaluators, sampling rate 0.1. */
    static AutomationState seedLikeAutomation() {
        return fx.insertAutomation(DemoData.ACME, b -> b.setEvaluatorIds(List.of(QUALITY.getId(), SAFETY.getId())));
    }

    static AutomationState freshAutomation(Consumer<AutomationState.Builder> customize) {
        return fx.insertAutomation(DemoData.ACME, customize);
    }

    static AutomationState stored(String id) {
        return fx.data().automation(DemoData.ACME, id);
    }

    static String path(String automationId) {
        return "/api/automations/" + automationId + "/";
    }

    /** PATCH as the seed's examples send it (JSON, trailing slash), with an acme key. */
    static HttpResponse<String> patch(String automationId, String keyId, String body, String... headers) {
        return checked(fx.http().send("PATCH", path(automationId), keyId == null ? null : fx.token(keyId), body, headers));
    }

    static HttpResponse<String> get(String automationId, String keyId, String... headers) {
        return checked(fx.http().send("GET", path(automationId), keyId == null ? null : fx.token(keyId), null, headers));
    }

    static HttpResponse<String> send(String method, String path, String token, byte[] body, String contentType, String... headers) {
        return checked(fx.http().sendBytes(method, path, token, body, contentType, headers));
    }

    /** Every response of the API carries a fresh server-generated X-Request-Id (§1.2). */
    static HttpResponse<String> checked(HttpResponse<String> response) {
        assertThat(response.headers().allValues("X-Request-Id")).as("X-Request-Id of %s", response).hasSize(1);
        assertThat(response.headers().firstValue("X-Request-Id").orElseThrow()).matches(UUID_V7);
        return response;
    }

    /** JSON written with single quotes for readability, as the compact text patchbay writes (member order kept). */
    static String json(String singleQuoted) {
        return compact(singleQuoted.replace('\'', '"'));
    }

    static String compact(String json) {
        return JsonValues.MAPPER.writeValueAsString(JsonValues.MAPPER.readTree(json));
    }

    /** Asserts status and the exact body: same members, same order, same values. */
    static void assertBody(HttpResponse<String> response, int status, String expectedSingleQuoted) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(compact(response.body())).isEqualTo(json(expectedSingleQuoted));
    }

    /**
     * The automation body with {@code updated_at} checked (DRF format, not before {@code created_at}) and then
     * removed, so the rest can be compared exactly.
     */
    static String withoutUpdatedAt(String body) {
        ObjectNode node = (ObjectNode) JsonValues.MAPPER.readTree(body);
        String updatedAt = node.get("updated_at").stringValue();
        assertThat(updatedAt).matches(DRF_TIMESTAMP);
        assertThat(Instant.parse(updatedAt)).isAfterOrEqualTo(Instant.parse(node.get("created_at").stringValue()));
        node.remove("updated_at");
        return JsonValues.MAPPER.writeValueAsString(node);
    }

    /** {@code template} with {@code $ID}, {@code $SLUG} and {@code $CONDITION} of {@code automation}, compacted. */
    static String expected(String template, AutomationState automation) {
        return json(template.replace("$ID", automation.getId()).replace("$SLUG", automation.getSlug())
                .replace("$CONDITION", ACME_CONDITION));
    }

    static JsonNode tree(HttpResponse<String> response) {
        return JsonValues.MAPPER.readTree(response.body());
    }

    static Map<Integer, Long> commandOffsets() {
        return fx.kafka().endOffsets(fx.topics().commands(ResourceType.AUTOMATION));
    }

    /**
     * Waits until the change stream of {@code id} is exactly {@code expected}: an event is published after the
     * outcome is stored, so it may reach the topic a moment after the HTTP answer.
     */
    static void awaitChangeStream(String id, String... expected) {
        Poll.until("the change stream of " + id, DEADLINE, () -> changeStream(id), stream -> stream.equals(List.of(expected)));
    }

    /** The change stream of automation {@code id}: its change_log rows and its records on the changes topic. */
    static List<String> changeStream(String id) {
        List<String> stream = new java.util.ArrayList<>(fx.jdbi().withHandle(h -> h.createQuery("select 'log v' || version"
                + " from change_log where resource_type = 'AUTOMATION' and resource_id = :id order by version")
                .bind("id", id).mapTo(String.class).list()));
        fx.kafka().readAll(fx.topics().changes(ResourceType.AUTOMATION)).stream().filter(r -> id.equals(r.key()))
                .forEach(r -> stream.add("event v" + ((io.patchbay.schemas.AutomationChanged) r.value()).getVersion()));
        return stream;
    }
}
