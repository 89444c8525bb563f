package io.patchbay.adapter.automations;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.patchbay.adapter.http.ApiError;
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
public final class AutomationPatchParser {

    private static final String NOT_NULL = "This field may not be null.";

    public AutomationPatch parse(ObjectNode body) {
        List<CommandError> errors = new ArrayList<>();
        AutomationPatch patch = AutomationPatch.newBuilder().build();
        JsonNode name = body.get("name");
        if (name != null) {
            if (name.isNull()) {
                errors.add(error("name", NOT_NULL));
            } else if (!name.isString()) {
                errors.add(error("name", "Not a valid string."));
            } else {
                patch.setName(name.stringValue().strip());
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
        if (errors.isEmpty()) {
            errors.addAll(AutomationRules.checkFields(patch));
        }
        if (!errors.isEmpty()) {
            throw ApiError.fields(order(errors)).exception();
        }
        return patch;
    }

    private static void parseConfiguration(JsonNode node, AutomationPatch patch, List<CommandError> errors) {
        if (node.isNull()) {
            errors.add(error("configuration", NOT_NULL));
            return;
        }
        if (!node.isObject()) {
            errors.add(error("configuration", "Expected a dictionary of items but got type \"" + pythonType(node) + "\"."));
            return;
        }
        ConfigurationPatch config = ConfigurationPatch.newBuilder().build();
        List<JsonMember> others = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            switch (member.getKey()) {
                case "evaluator_ids" -> { }
                case "sampling_rate" -> {
                    JsonNode rate = member.getValue();
                    Double value = coerceNumber(rate);
                    if (value == null) {
                        errors.add(error("configuration.sampling_rate", rate.isNull() ? NOT_NULL : "A valid number is required."));
                    } else {
                        config.setSamplingRate(value);
                    }
                }
                default -> others.add(new JsonMember(member.getKey(), JsonValues.fromNode(member.getValue())));
            }
        }
        config.setOtherKeys(others);
        patch.setConfiguration(config);
    }

    private static void parseEvaluators(JsonNode node, AutomationPatch patch, List<CommandError> errors) {
        if (node.isNull()) {
            errors.add(error("evaluator_ids", NOT_NULL));
            return;
        }
        if (!node.isArray()) {
            errors.add(error("evaluator_ids", "Expected a list of items but got type \"" + pythonType(node) + "\"."));
            return;
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isString()) {
                ids.add(item.stringValue());
            } else {
                errors.add(error("evaluator_ids." + i, item.isNull() ? NOT_NULL : "Not a valid string."));
            }
        }
        patch.setEvaluatorIds(ids);
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
            text = node.stringValue().strip();
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

    /** DRF reports fields in serializer order: name, is_enabled, configuration, evaluator_ids. */
    private static List<CommandError> order(List<CommandError> errors) {
        List<String> fields = List.of("name", "is_enabled", "configuration", "evaluator_ids");
        return errors.stream().sorted(java.util.Comparator.comparingInt(e -> fields.indexOf(e.getField().split("\\.")[0]))).toList();
    }

    private static String pythonType(JsonNode node) {
        if (node.isString()) {
            return "str";
        } else if (node.isBoolean()) {
            return "bool";
        } else if (node.isIntegralNumber()) {
            return "int";
        } else if (node.isNumber()) {
            return "float";
        } else if (node.isArray()) {
            return "list";
        } else if (node.isObject()) {
            return "dict";
        }
        return "NoneType";
    }

    private static CommandError error(String field, String message) {
        return Decision.error(ErrorKind.INVALID, null, field, message);
    }
}
