package io.patchbay.adapter.resource.automations;

import static io.patchbay.schemas.rules.Patches.UNSET;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.Decision;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a Respan PATCH body into a typed {@link AutomationPatch} the way Django REST Framework would: only
 * the four writable fields are read, everything else is ignored, coercion is deliberately narrow, and every
 * field error is reported together (api-contract §4.3).
 */
final class AutomationPatchParser {

    private static final String NOT_NULL = AutomationRules.NOT_NULL;

    AutomationPatch parse(ObjectNode body) {
        List<CommandError> errors = new ArrayList<>();
        // the all-fields constructors, not newBuilder().build(), which deep-copied each field's Unset default per
        // request; the same bytes (AutomationPatchBytesTest)
        AutomationPatch patch = new AutomationPatch(UNSET, UNSET, UNSET, UNSET);
        JsonNode name = body.get("name");
        if (name != null) {
            if (name.isNull()) {
                errors.add(error("name", NOT_NULL));
            } else if (!name.isString()) {
                errors.add(error("name", "Not a valid string."));
            } else {
                patch.setName(name.stringValue());
            }
        }
        JsonNode enabled = body.get("is_enabled");
        if (enabled != null) {
            Boolean value = coerceBoolean(enabled);
            if (value == null) {
                errors.add(error("is_enabled", enabled.isNull() ? NOT_NULL : "Must be a valid boolean."));
            } else {
                patch.setIsEnabled(value);
            }
        }
        JsonNode configuration = body.get("configuration");
        if (configuration != null) {
            parseConfiguration(configuration, patch, errors);
        }
        JsonNode evaluators = body.get("evaluator_ids");
        if (evaluators != null) {
            parseEvaluators(evaluators, patch, errors);
        }
        // The value rules run on every field that had the right JSON type, so that all field errors of the
        // request level are reported together (§4.4); a field with a type error was left out of the patch.
        errors.addAll(AutomationRules.checkFields(patch));
        if (!errors.isEmpty()) {
            throw ApiError.fields(AutomationRules.inFieldOrder(errors)).exception();
        }
        return patch;
    }

    private static void parseConfiguration(JsonNode node, AutomationPatch patch, List<CommandError> errors) {
        if (node.isNull()) {
            errors.add(error("configuration", NOT_NULL));
            return;
        }
        if (!node.isObject()) {
            errors.add(error("configuration", "Expected a dictionary of items but got type \"" + JsonBodies.pythonType(node) + "\"."));
            return;
        }
        Object samplingRate = UNSET;
        List<JsonMember> others = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            switch (member.getKey()) {
                case "evaluator_ids" -> { }
                case "sampling_rate" -> {
                    JsonNode rate = member.getValue();
                    Double value = coerceNumber(rate);
                    if (value == null) {
                        errors.add(error("configuration.sampling_rate", rate.isNull() ? NOT_NULL : AutomationRules.NOT_A_NUMBER));
                    } else {
                        samplingRate = value;
                    }
                }
                default -> others.add(new JsonMember(member.getKey(), JsonValues.fromNode(member.getValue())));
            }
        }
        patch.setConfiguration(new ConfigurationPatch(samplingRate, others));
    }

    private static void parseEvaluators(JsonNode node, AutomationPatch patch, List<CommandError> errors) {
        if (node.isNull()) {
            errors.add(error("evaluator_ids", NOT_NULL));
            return;
        }
        if (!node.isArray()) {
            errors.add(error("evaluator_ids", "Expected a list of items but got type \"" + JsonBodies.pythonType(node) + "\"."));
            return;
        }
        List<String> ids = new ArrayList<>();
        List<CommandError> elementErrors = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isString()) {
                ids.add(item.stringValue());
                elementErrors.addAll(AutomationRules.evaluatorIdErrors(i, item.stringValue()));
            } else {
                elementErrors.add(error("evaluator_ids." + i, item.isNull() ? NOT_NULL : "Not a valid string."));
            }
        }
        if (elementErrors.isEmpty()) {
            patch.setEvaluatorIds(ids);
        } else {
            // DRF's ListField reports every failing element by index; the list is then not part of the patch.
            errors.addAll(elementErrors);
        }
    }

    private static Boolean coerceBoolean(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            return switch (node.stringValue()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> null;
            };
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            return value.compareTo(BigDecimal.ONE) == 0 ? Boolean.TRUE : value.signum() == 0 ? Boolean.FALSE : null;
        }
        return null;
    }

    private static Double coerceNumber(JsonNode node) {
        String text;
        if (node.isNumber()) {
            text = node.decimalValue().toString();
        } else if (node.isString()) {
            text = AutomationRules.strip(node.stringValue());
        } else {
            return null;
        }
        try {
            double value = new BigDecimal(text).doubleValue();
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static CommandError error(String field, String message) {
        return Decision.error(ErrorKind.INVALID, null, field, message);
    }
}
