package io.patchbay.devstack.automations;

import static io.patchbay.devstack.automations.Respan.HALLUCINATION;
import static io.patchbay.devstack.automations.Respan.QUALITY;
import static io.patchbay.devstack.automations.Respan.SAFETY;
import static io.patchbay.devstack.automations.Respan.assertBody;
import static io.patchbay.devstack.automations.Respan.changeStream;
import static io.patchbay.devstack.automations.Respan.expected;
import static io.patchbay.devstack.automations.Respan.freshAutomation;
import static io.patchbay.devstack.automations.Respan.get;
import static io.patchbay.devstack.automations.Respan.json;
import static io.patchbay.devstack.automations.Respan.patch;
import static io.patchbay.devstack.automations.Respan.stored;
import static io.patchbay.devstack.automations.Respan.tree;
import static io.patchbay.devstack.automations.Respan.withoutUpdatedAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonValue;
import io.patchbay.schemas.ResourceType;
import tools.jackson.databind.JsonNode;

/**
 * Respan's {@code PATCH} and {@code GET /api/automations/{automation_id}/} as a client of the public API sees
 * them (api-contract §4): the seed page's examples with their exact bodies, lookup, partial update, coercion,
 * the configuration merge, the evaluator list, timestamps and Idempotency-Key. Every test mutates its own
 * automation rows.
 */
class AutomationContractIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    /** The automation the seed's examples start from, with placeholders for the fresh row's id and slug. */
    private static final String SEED_START = "{'id':'$ID','automation_slug':'$SLUG','name':'Production Quality Monitor',"
            + "'automation_type':'online_eval','condition':$CONDITION,"
            + "'evaluator_ids':['eval-quality-uuid','eval-safety-uuid'],"
            + "'evaluator_details':[" + detail(QUALITY.getId()) + "," + detail(SAFETY.getId()) + "],"
            + "'is_enabled':true,"
            + "'configuration':{'evaluator_ids':['eval-quality-uuid','eval-safety-uuid'],'sampling_rate':0.1},"
            + "'created_at':'2025-01-15T10:30:00Z'}";

    @BeforeAll
    static void seedEvaluators() {
        Respan.seedEvaluators();
    }

    static Stream<Arguments> seedExamples() {
        return Stream.of(
                Arguments.of("Enable/Disable Automation", "{'is_enabled': false}", 200,
                        SEED_START.replace("'is_enabled':true", "'is_enabled':false")),
                Arguments.of("Update Sampling Rate", "{'configuration': {'sampling_rate': 0.2}}", 200,
                        SEED_START.replace("'sampling_rate':0.1", "'sampling_rate':0.2")),
                Arguments.of("Update Evaluator List",
                        "{'evaluator_ids': ['eval-quality-uuid', 'eval-safety-uuid', 'eval-hallucination-uuid']}", 200,
                        "{'id':'$ID','automation_slug':'$SLUG','name':'Production Quality Monitor','automation_type':'online_eval',"
                                + "'condition':$CONDITION,"
                                + "'evaluator_ids':['eval-quality-uuid','eval-safety-uuid','eval-hallucination-uuid'],"
                                + "'evaluator_details':[" + detail(QUALITY.getId()) + "," + detail(SAFETY.getId()) + ","
                                + detail(HALLUCINATION.getId()) + "],'is_enabled':true,"
                                + "'configuration':{'evaluator_ids':['eval-quality-uuid','eval-safety-uuid','eval-hallucination-uuid'],"
                                + "'sampling_rate':0.1},'created_at':'2025-01-15T10:30:00Z'}"),
                // The seed's own response body for this request, with this row's id, slug and condition.
                Arguments.of("Update Multiple Fields",
                        "{'is_enabled': true, 'configuration': {'sampling_rate': 0.15}, 'evaluator_ids': ['eval-quality-uuid']}", 200,
                        "{'id':'$ID','automation_slug':'$SLUG','name':'Production Quality Monitor','automation_type':'online_eval',"
                                + "'condition':$CONDITION,'evaluator_ids':['eval-quality-uuid'],"
                                + "'evaluator_details':[{'id':'eval-quality-uuid','name':'Response Quality Evaluator',"
                                + "'evaluator_slug':'response_quality','eval_class':'respan_custom_evaluator'}],"
                                + "'is_enabled':true,'configuration':{'evaluator_ids':['eval-quality-uuid'],'sampling_rate':0.15},"
                                + "'created_at':'2025-01-15T10:30:00Z'}"),
                Arguments.of("Reduce Sampling Rate for Cost Savings", "{'configuration': {'sampling_rate': 0.01}}", 200,
                        SEED_START.replace("'sampling_rate':0.1", "'sampling_rate':0.01")),
                Arguments.of("400 Invalid Evaluator", "{'evaluator_ids': ['invalid-uuid-123']}", 400,
                        "{'evaluator_ids':['Evaluators not found: invalid-uuid-123']}"),
                Arguments.of("400 Invalid Sampling Rate", "{'configuration': {'sampling_rate': 1.5}}", 400,
                        "{'configuration':{'sampling_rate':['Sampling rate must be between 0.0 and 1.0']}}"),
                Arguments.of("400 Empty Evaluator List", "{'evaluator_ids': []}", 400,
                        "{'evaluator_ids':['At least one evaluator is required']}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedExamples")
    void seedExamplesAnswerExactlyAsPublished(String label, String body, int status, String expectedBody) {
        AutomationState automation = Respan.seedLikeAutomation();

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", json(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        String actual = status == 200 ? withoutUpdatedAt(response.body()) : Respan.compact(response.body());
        assertThat(actual).isEqualTo(expected(expectedBody, automation));
        if (status == 200) {
            assertThat(withoutUpdatedAt(get(automation.getId(), "acme_viewer").body())).isEqualTo(actual);
        } else {
            assertThat(stored(automation.getId())).isEqualTo(automation);
        }
    }

    @Test
    void seedErrorExamples401And404() {
        assertBody(patch("auto-eval-001", null, "{\"is_enabled\":false}"), 401,
                "{'detail':'Authentication credentials were not provided.'}");
        assertBody(patch("auto-eval-001", "acme_editor", "{\"is_enabled\":false}"), 404, "{'detail':'Automation not found'}");
    }

    @Test
    void bothSlashFormsAndIdOrSlugServeTheSameAutomation() {
        AutomationState automation = Respan.seedLikeAutomation();
        String base = "/api/automations/";
        List<String> paths = List.of(base + automation.getId() + "/", base + automation.getId(),
                base + automation.getSlug() + "/", base + automation.getSlug());

        List<HttpResponse<String>> gets = paths.stream()
                .map(p -> Respan.checked(fx.http().send("GET", p, fx.token("acme_viewer"), null))).toList();

        assertThat(gets).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(gets).extracting(HttpResponse::body).containsOnly(gets.get(0).body());
        assertThat(Respan.compact(gets.get(0).body())).isEqualTo(Respan.compact(
                expected(SEED_START.replace("'created_at':'2025-01-15T10:30:00Z'}",
                        "'created_at':'2025-01-15T10:30:00Z','updated_at':'2025-01-15T10:30:00Z'}"), automation)));

        for (int i = 0; i < paths.size(); i++) {
            String name = "Renamed " + i;
            HttpResponse<String> response = Respan.checked(fx.http().send("PATCH", paths.get(i), fx.token("acme_editor"),
                    "{\"name\":\"" + name + "\"}"));
            assertThat(response.statusCode()).as(paths.get(i) + " " + response.body()).isEqualTo(200);
            assertThat(tree(response).get("id").stringValue()).isEqualTo(automation.getId());
            assertThat(stored(automation.getId()).getName()).isEqualTo(name);
        }
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(5L);
    }

    @Test
    void aSlugAddressedCommandIsKeyedByTheAutomationId() {
        AutomationState automation = Respan.seedLikeAutomation();

        HttpResponse<String> response = patch(automation.getSlug(), "acme_editor", "{\"is_enabled\":false}");

        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        List<ConsumerRecord<String, Object>> commands = fx.kafka().readUntil(fx.topics().commands(ResourceType.AUTOMATION),
                records -> records.stream().anyMatch(r -> isRequest(r, requestId)), Respan.DEADLINE);
        ConsumerRecord<String, Object> command = commands.stream().filter(r -> isRequest(r, requestId)).findFirst().orElseThrow();
        assertThat(command.key()).isEqualTo(automation.getId());
        assertThat(((AutomationUpdateCommand) command.value()).getMetadata().getResourceId()).isEqualTo(automation.getId());
    }

    @Test
    void theIdWinsOverAnotherAutomationsSlugAndMatchingIsCaseSensitive() {
        AutomationState bySlug = freshAutomation(b -> { });
        AutomationState byId = freshAutomation(b -> b.setId(bySlug.getSlug()));

        assertThat(tree(get(bySlug.getSlug(), "acme_viewer")).get("automation_slug").stringValue()).isEqualTo(byId.getSlug());
        assertThat(patch(bySlug.getSlug(), "acme_editor", "{\"name\":\"the id one\"}").statusCode()).isEqualTo(200);
        assertThat(stored(byId.getId()).getName()).isEqualTo("the id one");
        assertThat(stored(bySlug.getId())).isEqualTo(bySlug);

        assertBody(get(bySlug.getId().toUpperCase(), "acme_viewer"), 404, "{'detail':'Automation not found'}");
        assertBody(get(byId.getSlug().toUpperCase(), "acme_viewer"), 404, "{'detail':'Automation not found'}");
    }

    @Test
    void anotherTeamsAutomationIsExactlyAMissingOne() {
        AutomationState globex = fx.insertAutomation(DemoData.GLOBEX, b -> { });
        String notFound = "{'detail':'Automation not found'}";

        for (String identifier : List.of(globex.getId(), globex.getSlug(), "auto_globex_quality", "no_such_automation")) {
            assertBody(get(identifier, "acme_owner"), 404, notFound);
            assertBody(patch(identifier, "acme_owner", "{\"name\":\"stolen\"}"), 404, notFound);
        }
        assertBody(patch(globex.getId(), "acme_owner", ""), 404, notFound);
        assertThat(fx.data().automation(DemoData.GLOBEX, globex.getId())).isEqualTo(globex);
        // A slug both teams use resolves within the caller's team.
        assertThat(tree(get("prod_quality_monitor", "acme_viewer")).get("id").stringValue()).isEqualTo("auto_acme_quality");
        assertThat(tree(Respan.checked(fx.http().send("GET", "/api/automations/prod_quality_monitor", fx.token("globex_owner"), null)))
                .get("id").stringValue()).isEqualTo("auto_globex_quality");
    }

    @Test
    void readOnlyAndUnknownFieldsAreIgnoredAndChangeNothing() {
        AutomationState automation = Respan.seedLikeAutomation();
        String before = get(automation.getId(), "acme_viewer").body();

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", json("{'id':'auto_other','automation_slug':'x',"
                + "'automation_type':'batch','condition':{'id':'c'},'evaluator_details':[],'created_at':'2020-01-01T00:00:00Z',"
                + "'updated_at':'2020-01-01T00:00:00Z','unknown':{'deep':[1,2]},'Name':'case matters'}"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(before);
        assertThat(stored(automation.getId())).isEqualTo(automation);
        assertThat(changeStream(automation.getId())).isEmpty();
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        AutomationState automation = Respan.seedLikeAutomation();
        String before = get(automation.getId(), "acme_viewer").body();

        HttpResponse<String> noBody = Respan.send("PATCH", Respan.path(automation.getId()), fx.token("acme_editor"), null, null);
        HttpResponse<String> emptyWithText = Respan.send("PATCH", Respan.path(automation.getId()), fx.token("acme_editor"),
                new byte[0], "text/plain");
        HttpResponse<String> emptyObject = patch(automation.getId(), "acme_editor", "{}");

        for (HttpResponse<String> response : List.of(noBody, emptyWithText, emptyObject)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(before);
        }
        assertThat(stored(automation.getId())).isEqualTo(automation);
        assertBody(Respan.send("PATCH", Respan.path("auto_nope_" + UUID.randomUUID()), fx.token("acme_editor"), null, null), 404,
                "{'detail':'Automation not found'}");
    }

    static Stream<Arguments> enabledSpellings() {
        return Stream.of(Arguments.of("true", true), Arguments.of("false", false), Arguments.of("\"true\"", true),
                Arguments.of("\"false\"", false), Arguments.of("1", true), Arguments.of("0", false), Arguments.of("1.0", true),
                Arguments.of("0.0", false), Arguments.of("-0", false), Arguments.of("1e0", true));
    }

    @ParameterizedTest(name = "is_enabled {0} -> {1}")
    @MethodSource("enabledSpellings")
    void isEnabledAcceptsExactlyTheNarrowSpellings(String value, boolean expected) {
        AutomationState automation = freshAutomation(b -> b.setIsEnabled(!expected));

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", "{\"is_enabled\":" + value + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(tree(response).get("is_enabled").isBoolean()).isTrue();
        assertThat(tree(response).get("is_enabled").booleanValue()).isEqualTo(expected);
        assertThat(stored(automation.getId()).getIsEnabled()).isEqualTo(expected);
    }

    static Stream<Arguments> samplingRateSpellings() {
        return Stream.of(Arguments.of("0.2", 0.2), Arguments.of("\"0.2\"", 0.2), Arguments.of("\" 0.3\\n\"", 0.3),
                Arguments.of("\"1\"", 1.0), Arguments.of("\"1e-1\"", 0.1), Arguments.of("0", 0.0), Arguments.of("1", 1.0),
                Arguments.of("\"0\"", 0.0), Arguments.of("1E-2", 0.01), Arguments.of("\"+0.5\"", 0.5));
    }

    @ParameterizedTest(name = "sampling_rate {0} -> {1}")
    @MethodSource("samplingRateSpellings")
    void samplingRateAcceptsNumbersAndDecimalStringsAndIsStoredAsANumber(String value, double expected) {
        AutomationState automation = freshAutomation(b -> b.setConfiguration(new AutomationConfiguration(0.7, List.of())));

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", "{\"configuration\":{\"sampling_rate\":" + value + "}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode rate = tree(response).get("configuration").get("sampling_rate");
        assertThat(rate.isNumber()).isTrue();
        assertThat(rate.doubleValue()).isEqualTo(expected);
        assertThat(stored(automation.getId()).getConfiguration().getSamplingRate()).isEqualTo(expected);
    }

    @Test
    void nameIsTrimmedAsDrfDoes() {
        AutomationState automation = freshAutomation(b -> { });

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", "{\"name\":\"\\u00a0 Nightly monitor \\u3000\\n\"}");

        assertThat(tree(response).get("name").stringValue()).isEqualTo("Nightly monitor");
        String longest = "\uD83D\uDE00".repeat(255);
        assertThat(tree(patch(automation.getId(), "acme_editor", "{\"name\":\"  " + longest + "  \"}")).get("name").stringValue())
                .isEqualTo(longest);
    }

    @Test
    void configurationMergesShallowlyKeepsUnsentKeysAndMirrorsTheEvaluatorList() {
        AutomationState automation = freshAutomation(b -> b.setConfiguration(new AutomationConfiguration(0.1, List.of(
                member("model", "\"gpt-4o\""), member("filters", null), member("max_tokens", "256")))));

        HttpResponse<String> merged = patch(automation.getId(), "acme_editor", json("{'configuration':{'temperature':0.25,"
                + "'evaluator_ids':['evl_ignored'],'model':'gpt-4.1','sampling_rate':'0.5'}}"));

        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
        assertThat(Respan.compact(tree(merged).get("configuration").toString())).isEqualTo(json(
                "{'evaluator_ids':['evl_acme_relevance','evl_acme_toxicity'],'sampling_rate':0.5,'model':'gpt-4.1','filters':null,"
                        + "'max_tokens':256,'temperature':0.25}"));
        assertThat(tree(merged).get("evaluator_ids").toString()).isEqualTo("[\"evl_acme_relevance\",\"evl_acme_toxicity\"]");

        HttpResponse<String> replaced = patch(automation.getId(), "acme_editor", json("{'evaluator_ids':['evl_acme_quality'],"
                + "'configuration':{'filters':{'status':[200,201]}}}"));

        assertThat(Respan.compact(tree(replaced).get("configuration").toString())).isEqualTo(json(
                "{'evaluator_ids':['evl_acme_quality'],'sampling_rate':0.5,'model':'gpt-4.1','filters':{'status':[200,201]},"
                        + "'max_tokens':256,'temperature':0.25}"));
        assertThat(tree(get(automation.getId(), "acme_viewer")).get("configuration")).isEqualTo(tree(replaced).get("configuration"));

        long version = stored(automation.getId()).getVersion();
        HttpResponse<String> nothing = patch(automation.getId(), "acme_editor", "{\"configuration\":{}}");
        assertThat(nothing.body()).isEqualTo(replaced.body());
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(version);
    }

    @Test
    void evaluatorIdsReplaceTheListDeduplicatedWithDetailsFromTheEvaluatorsTable() {
        AutomationState automation = freshAutomation(b -> { });

        HttpResponse<String> response = patch(automation.getId(), "acme_editor", json("{'evaluator_ids':['eval-hallucination-uuid',"
                + "'evl_acme_quality','eval-hallucination-uuid',' evl_acme_relevance','evl_acme_quality']}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Respan.compact(tree(response).get("evaluator_ids").toString()))
                .isEqualTo(json("['eval-hallucination-uuid','evl_acme_quality','evl_acme_relevance']"));
        assertThat(Respan.compact(tree(response).get("evaluator_details").toString())).isEqualTo(json("["
                + detail(HALLUCINATION.getId()) + ",{'id':'evl_acme_quality','name':'Quality','evaluator_slug':'quality','eval_class':''},"
                + "{'id':'evl_acme_relevance','name':'Relevance','evaluator_slug':'relevance','eval_class':'respan_custom_evaluator'}]"));
        assertThat(tree(response).get("configuration").get("evaluator_ids")).isEqualTo(tree(response).get("evaluator_ids"));
        assertThat(stored(automation.getId()).getEvaluatorIds())
                .containsExactly("eval-hallucination-uuid", "evl_acme_quality", "evl_acme_relevance");
    }

    @Test
    void aFailedValidationLeavesRowVersionAndChangeStreamUntouched() {
        AutomationState automation = freshAutomation(b -> { });
        assertThat(patch(automation.getId(), "acme_editor", "{\"name\":\"applied once\"}").statusCode()).isEqualTo(200);
        AutomationState before = stored(automation.getId());
        Respan.awaitChangeStream(automation.getId(), "log v2", "event v2");
        List<String> streamBefore = changeStream(automation.getId());

        HttpResponse<String> missing = patch(automation.getId(), "acme_editor", json("{'name':'never stored','is_enabled':false,"
                + "'configuration':{'sampling_rate':0.9,'extra':1},"
                + "'evaluator_ids':['evl_x','evl_acme_quality','evl_globex_quality','evl_x','evl_y']}"));
        HttpResponse<String> outOfRange = patch(automation.getId(), "acme_editor", json("{'name':'never stored',"
                + "'configuration':{'sampling_rate':1.01}}"));

        assertBody(missing, 400, "{'evaluator_ids':['Evaluators not found: evl_x, evl_globex_quality, evl_y']}");
        assertBody(outOfRange, 400, "{'configuration':{'sampling_rate':['Sampling rate must be between 0.0 and 1.0']}}");
        assertThat(stored(automation.getId())).isEqualTo(before);
        assertThat(changeStream(automation.getId())).isEqualTo(streamBefore);
    }

    @Test
    void updatedAtMovesOnlyWhenSomethingChanged() {
        AutomationState automation = freshAutomation(b -> { });

        HttpResponse<String> same = patch(automation.getId(), "acme_editor", json("{'name':' Production Quality Monitor ',"
                + "'is_enabled':'true','configuration':{'sampling_rate':'0.1'},'evaluator_ids':['evl_acme_relevance','evl_acme_toxicity']}"));

        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(tree(same).get("updated_at").stringValue()).isEqualTo("2025-01-15T10:30:00Z");
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(1L);
        assertThat(changeStream(automation.getId())).isEmpty();

        HttpResponse<String> changed = patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}");

        String updatedAt = tree(changed).get("updated_at").stringValue();
        assertThat(updatedAt).matches(Respan.DRF_TIMESTAMP).isNotEqualTo("2025-01-15T10:30:00Z");
        assertThat(stored(automation.getId()).getUpdatedAt()).isEqualTo(java.time.Instant.parse(updatedAt));
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(2L);
    }

    @Test
    void idempotencyKeyReplaysOutcomesAndRefusesAnotherRequest() {
        AutomationState automation = freshAutomation(b -> { });
        String key = "respan-" + UUID.randomUUID();

        HttpResponse<String> first = patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}", "Idempotency-Key", key);
        HttpResponse<String> replay = Respan.checked(fx.http().send("PATCH", "/api/automations/" + automation.getId(),
                fx.token("acme_admin"), "{ \"is_enabled\" : false }", "Idempotency-Key", " " + key + " "));
        HttpResponse<String> otherBody = patch(automation.getId(), "acme_editor", "{\"is_enabled\":true}", "Idempotency-Key", key);
        HttpResponse<String> bySlug = patch(automation.getSlug(), "acme_editor", "{\"is_enabled\":false}", "Idempotency-Key", key);
        HttpResponse<String> otherTeam = Respan.checked(fx.http().send("PATCH", Respan.path(automation.getId()), fx.token("globex_owner"),
                "{\"is_enabled\":false}", "Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("X-Request-Id")).isEqualTo(first.headers().firstValue("X-Request-Id"));
        String conflict = "{'detail':'Idempotency-Key was already used with a different request.','code':'idempotency_key_reused'}";
        assertBody(otherBody, 409, conflict);
        assertBody(bySlug, 409, conflict);
        assertThat(otherBody.headers().firstValue("X-Request-Id")).isNotEqualTo(first.headers().firstValue("X-Request-Id"));
        assertBody(otherTeam, 404, "{'detail':'Automation not found'}");
        assertThat(stored(automation.getId()).getVersion()).isEqualTo(2L);
        Respan.awaitChangeStream(automation.getId(), "log v2", "event v2");
    }

    @Test
    void stateLevelRejectionsAreStoredButRequestLevelOnesAreNot() {
        AutomationState automation = freshAutomation(b -> { });
        String stateKey = "state-" + UUID.randomUUID();
        String requestKey = "request-" + UUID.randomUUID();

        HttpResponse<String> rejected = patch(automation.getId(), "acme_editor", "{\"evaluator_ids\":[\"evl_gone\"]}",
                "Idempotency-Key", stateKey);
        HttpResponse<String> replayed = patch(automation.getId(), "acme_editor", "{\"evaluator_ids\":[\"evl_gone\"]}",
                "Idempotency-Key", stateKey);
        HttpResponse<String> syntax = patch(automation.getId(), "acme_editor", "{\"is_enabled\":\"maybe\"}",
                "Idempotency-Key", requestKey);
        HttpResponse<String> fixed = patch(automation.getId(), "acme_editor", "{\"is_enabled\":false}",
                "Idempotency-Key", requestKey);

        assertBody(rejected, 400, "{'evaluator_ids':['Evaluators not found: evl_gone']}");
        assertThat(replayed.body()).isEqualTo(rejected.body());
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.headers().firstValue("X-Request-Id")).isEqualTo(rejected.headers().firstValue("X-Request-Id"));
        assertBody(syntax, 400, "{'is_enabled':['Must be a valid boolean.']}");
        assertThat(fixed.statusCode()).isEqualTo(200);
        assertThat(fixed.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(tree(fixed).get("is_enabled").booleanValue()).isFalse();
    }

    @Test
    void respondAsyncAnswers202AndTheSameKeyLaterReplaysTheOutcome() {
        AutomationState automation = freshAutomation(b -> { });
        String key = "async-" + UUID.randomUUID();

        HttpResponse<String> accepted = patch(automation.getId(), "acme_editor", "{\"name\":\"async\"}",
                "Idempotency-Key", key, "Prefer", "respond-async");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Preference-Applied")).hasValue("respond-async");
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("https://app\\.example\\.com/api/v1/commands/" + Respan.UUID_V7);
        JsonNode pending = tree(accepted);
        assertThat(pending.get("path").stringValue()).isEqualTo("/api/automations/" + automation.getId());
        assertThat(pending.get("requestId").stringValue()).isEqualTo(accepted.headers().firstValue("X-Request-Id").orElseThrow());

        HttpResponse<String> later = patch(automation.getId(), "acme_editor", "{\"name\":\"async\"}", "Idempotency-Key", key);

        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(later.headers().firstValue("X-Request-Id")).isEqualTo(accepted.headers().firstValue("X-Request-Id"));
        assertThat(tree(later).get("name").stringValue()).isEqualTo("async");
        JsonNode status = tree(Respan.checked(fx.http().send("GET", location.substring("https://app.example.com".length()),
                fx.token("acme_editor"), null)));
        assertThat(status.get("status").stringValue()).isEqualTo("APPLIED");
        assertThat(Respan.compact(status.get("outcome").get("body").toString())).isEqualTo(Respan.compact(later.body()));
    }

    @Test
    void theServerAlwaysChoosesTheRequestId() {
        HttpResponse<String> response = get("auto_acme_quality", "acme_viewer", "X-Request-Id", "client-chosen");

        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).isNotEqualTo("client-chosen"));
        assertThat(get("auto_acme_quality", "acme_viewer").headers().firstValue("X-Request-Id"))
                .isNotEqualTo(response.headers().firstValue("X-Request-Id"));
    }

    private static boolean isRequest(ConsumerRecord<String, Object> record, String requestId) {
        return record.value() instanceof AutomationUpdateCommand c && c.getMetadata().getRequestId().equals(requestId);
    }

    private static String detail(String evaluatorId) {
        return Stream.of(QUALITY, SAFETY, HALLUCINATION).filter(e -> e.getId().equals(evaluatorId)).findFirst()
                .map(e -> "{'id':'" + e.getId() + "','name':'" + e.getName() + "','evaluator_slug':'" + e.getSlug()
                        + "','eval_class':'" + e.getEvalClass() + "'}").orElseThrow();
    }

    private static JsonMember member(String name, String literal) {
        Object value = literal == null ? null : literal.startsWith("\"") ? literal.substring(1, literal.length() - 1)
                : new JsonNumber(literal);
        return new JsonMember(name, new JsonValue(value));
    }
}
