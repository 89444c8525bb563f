package io.patchbay.adapter.automations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;

import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An automation in the Respan response shape (api-contract §4.5). */
public final class AutomationJson {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private AutomationJson() {
    }

    public static ObjectNode render(AutomationState a) {
        ObjectNode json = JsonValues.MAPPER.createObjectNode();
        json.put("id", a.getId());
        json.put("automation_slug", a.getSlug());
        json.put("name", a.getName());
        json.put("automation_type", a.getAutomationType());
        if (a.getCondition() == null) {
            json.putNull("condition");
        } else {
            json.putObject("condition")
                    .put("id", a.getCondition().getId())
                    .put("condition_slug", a.getCondition().getSlug())
                    .put("name", a.getCondition().getName())
                    .put("condition_type", a.getCondition().getConditionType());
        }
        ArrayNode ids = json.putArray("evaluator_ids");
        a.getEvaluatorIds().forEach(ids::add);
        ArrayNode details = json.putArray("evaluator_details");
        for (EvaluatorRef evaluator : a.getEvaluatorDetails()) {
            details.addObject().put("id", evaluator.getId()).put("name", evaluator.getName())
                    .put("evaluator_slug", evaluator.getSlug()).put("eval_class", evaluator.getEvalClass());
        }
        json.put("is_enabled", a.getIsEnabled());
        ObjectNode configuration = json.putObject("configuration");
        ArrayNode mirror = configuration.putArray("evaluator_ids");
        a.getEvaluatorIds().forEach(mirror::add);
        configuration.put("sampling_rate", a.getConfiguration().getSamplingRate());
        for (JsonMember member : a.getConfiguration().getOtherKeys()) {
            if (!member.getName().equals("evaluator_ids") && !member.getName().equals("sampling_rate")) {
                configuration.set(member.getName(), JsonValues.toNode(member.getValue()));
            }
        }
        json.put("created_at", timestamp(a.getCreatedAt()));
        json.put("updated_at", timestamp(a.getUpdatedAt()));
        return json;
    }

    /** DRF timestamps: UTC, six fractional digits, omitted when the microseconds are zero. */
    public static String timestamp(Instant instant) {
        int micros = instant.get(ChronoField.MICRO_OF_SECOND);
        return SECONDS.format(instant) + (micros == 0 ? "" : String.format(".%06d", micros)) + "Z";
    }
}
