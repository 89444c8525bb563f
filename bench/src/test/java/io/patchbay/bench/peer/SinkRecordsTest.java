package io.patchbay.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class SinkRecordsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void evaluationRowCarriesEveryComparedColumnWithASchemaFieldEachAndNoSecret() {
        EvaluationState state = EvaluationState.newBuilder().setId("beval_1").setTeamId("bteam_1").setName("Checkout")
                .setDescription(null).setType(EvaluationType.SxS).setStatus(EvaluationStatus.Running)
                .setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordSet(true).setShareRequireEmail(true)
                .setShareRequireName(false).setShareAllowAnon(false).setAllowMultipleRatings(true).setEditorsCanShare(true)
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z")).setUpdatedAt(Instant.parse("2026-12-04T01:02:03.456Z"))
                .setVersion(7L).build();

        SinkRecords.SinkRecord record = SinkRecords.evaluation(state);

        JsonNode value = JSON.readTree(record.value());
        assertThat(names(value.get("payload"))).containsExactlyElementsOf(SinkRecords.columns(SinkRecords.EVALUATION_TOPIC));
        assertThat(schemaFields(value)).containsExactlyElementsOf(SinkRecords.columns(SinkRecords.EVALUATION_TOPIC));
        assertThat(value.get("payload").get("updated_at").asString()).isEqualTo("2026-12-04T01:02:03.456Z");
        assertThat(value.get("payload").get("description").isNull()).isTrue();
        assertThat(record.value()).doesNotContain("password");
        assertThat(record.topic()).isEqualTo("evaluation");
        assertThat(record.version()).isEqualTo(7);
        assertThat(JSON.readTree(record.key()).get("payload").get("id").asString()).isEqualTo("beval_1");
    }

    @Test
    void automationRowKeepsMicrosecondsArraysAndTheConfigurationAsJsonText() {
        AutomationState state = AutomationState.newBuilder().setId("bauto_2").setTeamId("bteam_2").setSlug("monitor_2")
                .setName("Monitor").setAutomationType("online_eval")
                .setCondition(new ConditionRef("bcond_2", "success_logs", "Successful", "single_log"))
                .setEvaluatorIds(List.of("bevl_2_1", "bevl_2_3")).setEvaluatorDetails(List.of()).setIsEnabled(true)
                .setConfiguration(new AutomationConfiguration(0.25, List.of()))
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z")).setUpdatedAt(Instant.parse("2026-12-04T01:02:03.456789Z"))
                .setVersion(3L).build();

        JsonNode value = JSON.readTree(SinkRecords.automation(state).value());

        assertThat(schemaFields(value)).containsExactlyElementsOf(SinkRecords.columns(SinkRecords.AUTOMATION_TOPIC));
        JsonNode payload = value.get("payload");
        assertThat(payload.get("updated_at").asString()).isEqualTo("2026-12-04T01:02:03.456789Z");
        assertThat(payload.get("evaluator_ids").toString()).isEqualTo("[\"bevl_2_1\",\"bevl_2_3\"]");
        assertThat(payload.get("condition_id").asString()).isEqualTo("bcond_2");
        assertThat(payload.get("configuration_extra").asString()).isEqualTo("{}");
    }

    @Test
    void nextVersionBumpsTheVersionRenamesAndStampsTheRowItWasGiven() {
        ObjectNode row = (ObjectNode) JSON.readTree(SinkRecords.evaluation(EvaluationState.newBuilder().setId("beval_3")
                .setTeamId("bteam_3").setName("Old").setType(EvaluationType.SSE).setStatus(EvaluationStatus.Draft)
                .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false).setShareRequireEmail(false)
                .setShareRequireName(false).setShareAllowAnon(false).setAllowMultipleRatings(false).setEditorsCanShare(true)
                .setCreatedAt(Instant.EPOCH).setUpdatedAt(Instant.EPOCH).setVersion(1L).build()).value()).get("payload");

        SinkRecords.SinkRecord first = SinkRecords.nextVersion("evaluation", row, "latency run 1", Instant.parse("2026-12-04T00:00:00Z"));
        SinkRecords.SinkRecord second = SinkRecords.nextVersion("evaluation", row, "latency run 2", Instant.parse("2026-12-04T00:00:01Z"));

        assertThat(first.version()).isEqualTo(2);
        assertThat(second.version()).isEqualTo(3);
        assertThat(JSON.readTree(second.value()).get("payload").get("name").asString()).isEqualTo("latency run 2");
        assertThat(row.get("version").asLong()).isEqualTo(3);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    private static List<String> schemaFields(JsonNode value) {
        List<String> fields = new ArrayList<>();
        value.get("schema").get("fields").forEach(f -> fields.add(f.get("field").asString()));
        return fields;
    }
}
