package io.patchbay.adapter.resource.automations;

import io.patchbay.adapter.http.ApiTimestamps;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An automation in the Respan response shape (api-contract §4.5). */
final class AutomationJson {

    private AutomationJson() {
    }

    static ObjectNode render(AutomationState a) {
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
        json.put("created_at", ApiTimestamps.respan(a.getCreatedAt()));
        json.put("updated_at", ApiTimestamps.respan(a.getUpdatedAt()));
        return json;
    }
}
