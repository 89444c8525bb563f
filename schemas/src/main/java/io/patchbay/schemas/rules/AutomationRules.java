package io.patchbay.schemas.rules;

import static io.patchbay.schemas.rules.Patches.isSet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;

/**
 * Every rule of a Respan automation update (api-contract §4), in one place for the adapter and the
 * processor. Errors of one level are reported together, DRF style; messages are the contract.
 */
public final class AutomationRules {

    public static final int NAME_MAX = 255;
    public static final String SAMPLING_RATE_RANGE = "Sampling rate must be between 0.0 and 1.0";
    public static final String EVALUATORS_REQUIRED = "At least one evaluator is required";

    private AutomationRules() {
    }

    /** Value rules on a typed patch (request level), all failures together. */
    public static List<CommandError> checkFields(AutomationPatch patch) {
        List<CommandError> errors = new ArrayList<>();
        if (patch.getName() instanceof String name) {
            String trimmed = name.strip();
            if (trimmed.isEmpty()) {
                errors.add(invalid("name", "This field may not be blank."));
            } else if (trimmed.length() > NAME_MAX) {
                errors.add(invalid("name", "Ensure this field has no more than " + NAME_MAX + " characters."));
            }
        }
        if (patch.getConfiguration() instanceof ConfigurationPatch config && config.getSamplingRate() instanceof Double rate
                && !(rate >= 0.0 && rate <= 1.0)) {
            errors.add(invalid("configuration.sampling_rate", SAMPLING_RATE_RANGE));
        }
        if (patch.getEvaluatorIds() instanceof List<?> ids && ids.isEmpty()) {
            errors.add(invalid("evaluator_ids", EVALUATORS_REQUIRED));
        }
        return errors;
    }

    /** The requested evaluator ids without duplicates, first occurrence kept. */
    public static List<String> distinctEvaluatorIds(AutomationPatch patch) {
        return patch.getEvaluatorIds() instanceof List<?> ids
                ? List.copyOf(new LinkedHashSet<>(ids.stream().map(String::valueOf).toList()))
                : List.of();
    }

    /**
     * Decides a command against the stored automation.
     *
     * @param evaluators the caller team's evaluators among the requested ids, by id
     */
    public static Decision<AutomationState> decide(AutomationState current, AutomationPatch patch,
                                                   Map<String, EvaluatorRef> evaluators, Instant now) {
        List<CommandError> fieldErrors = checkFields(patch);
        if (!fieldErrors.isEmpty()) {
            return Decision.rejected(fieldErrors);
        }
        List<CommandError> errors = new ArrayList<>();
        List<String> evaluatorIds = isSet(patch.getEvaluatorIds()) ? distinctEvaluatorIds(patch) : current.getEvaluatorIds();
        List<String> missing = evaluatorIds.stream().filter(id -> !evaluators.containsKey(id)).toList();
        if (isSet(patch.getEvaluatorIds()) && !missing.isEmpty()) {
            errors.add(invalid("evaluator_ids", "Evaluators not found: " + String.join(", ", missing)));
        }
        AutomationConfiguration configuration = merge(current.getConfiguration(), patch.getConfiguration());
        if (configuration.getSamplingRate() == null) {
            errors.add(invalid("configuration.sampling_rate", "This field is required."));
        }
        if (!errors.isEmpty()) {
            return Decision.rejected(errors);
        }
        AutomationState next = AutomationState.newBuilder(current)
                .setName(patch.getName() instanceof String name ? name.strip() : current.getName())
                .setIsEnabled(patch.getIsEnabled() instanceof Boolean enabled ? enabled : current.getIsEnabled())
                .setEvaluatorIds(evaluatorIds)
                .setEvaluatorDetails(isSet(patch.getEvaluatorIds())
                        ? evaluatorIds.stream().map(evaluators::get).toList()
                        : current.getEvaluatorDetails())
                .setConfiguration(configuration)
                .build();
        List<String> changed = new ArrayList<>();
        addIfChanged(changed, "name", current.getName(), next.getName());
        addIfChanged(changed, "is_enabled", current.getIsEnabled(), next.getIsEnabled());
        addIfChanged(changed, "configuration", current.getConfiguration(), next.getConfiguration());
        addIfChanged(changed, "evaluator_ids", current.getEvaluatorIds(), next.getEvaluatorIds());
        if (changed.isEmpty()) {
            return Decision.unchanged(current);
        }
        next.setVersion(current.getVersion() + 1);
        next.setUpdatedAt(now.truncatedTo(ChronoUnit.MICROS));
        return Decision.applied(next, changed);
    }

    /** Shallow merge: sent keys replace stored ones in place, new keys are appended. */
    static AutomationConfiguration merge(AutomationConfiguration stored, Object patch) {
        if (!(patch instanceof ConfigurationPatch config)) {
            return stored;
        }
        List<JsonMember> members = new ArrayList<>(stored.getOtherKeys());
        for (JsonMember sent : config.getOtherKeys()) {
            int at = indexOf(members, sent.getName());
            if (at >= 0) {
                members.set(at, sent);
            } else {
                members.add(sent);
            }
        }
        Double rate = config.getSamplingRate() instanceof Double sent ? sent : stored.getSamplingRate();
        return new AutomationConfiguration(rate, members);
    }

    private static int indexOf(List<JsonMember> members, String name) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void addIfChanged(List<String> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(field);
        }
    }

    private static CommandError invalid(String field, String message) {
        return Decision.error(ErrorKind.INVALID, null, field, message);
    }
}
