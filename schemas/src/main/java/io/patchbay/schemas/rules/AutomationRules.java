package io.patchbay.schemas.rules;

import static io.patchbay.schemas.rules.Patches.isSet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * processor. Errors of one level are reported together, DRF style, in serializer field order; the messages
 * are the contract.
 *
 * <p>Request level ({@link #checkFields}): what can be decided from the patch alone. The adapter calls it after
 * reading the JSON types; the processor calls it again, because commands also arrive straight on Kafka. State
 * level ({@link #decide}): evaluator existence and the merged configuration.
 *
 * <p>{@code name} and the {@code evaluator_ids} elements behave as DRF {@code CharField}s: surrounding
 * whitespace (Python's {@code str.strip()}) is trimmed, blank is refused, and so are NUL and surrogate
 * characters (DRF's own validators), which PostgreSQL could not store anyway.
 */
public final class AutomationRules {

    public static final int NAME_MAX = 255;
    public static final String SAMPLING_RATE_RANGE = "Sampling rate must be between 0.0 and 1.0";
    public static final String EVALUATORS_REQUIRED = "At least one evaluator is required";
    public static final String EVALUATORS_NOT_FOUND = "Evaluators not found: ";
    public static final String NOT_NULL = "This field may not be null.";
    public static final String BLANK = "This field may not be blank.";
    public static final String REQUIRED = "This field is required.";
    public static final String NOT_A_NUMBER = "A valid number is required.";
    public static final String NULL_CHARACTERS = "Null characters are not allowed.";
    /** Respan's answer to a caller who may not do what it asked (Django REST framework's {@code PermissionDenied}). */
    public static final String PERMISSION_DENIED = "You do not have permission to perform this action.";

    /** The writable fields in DRF serializer order: errors are reported in this order. */
    public static final List<String> FIELD_ORDER = List.of("name", "is_enabled", "configuration", "evaluator_ids");

    /** Configuration keys with a typed home; never free-form. */
    public static final String SAMPLING_RATE = "sampling_rate";
    public static final String EVALUATOR_IDS = "evaluator_ids";

    private AutomationRules() {
    }

    /** Role rule (request level): changing an automation takes the editor role or higher. */
    public static Optional<CommandError> checkRole(Role role) {
        return role.atLeast(Role.EDITOR) ? Optional.empty()
                : Optional.of(Decision.error(ErrorKind.FORBIDDEN, null, null, PERMISSION_DENIED));
    }

    /** Request-level value rules on a typed patch, all failures together, in field order. */
    public static List<CommandError> checkFields(AutomationPatch patch) {
        List<CommandError> errors = new ArrayList<>();
        if (patch.getName() instanceof String name) {
            errors.addAll(nameErrors(name));
        }
        if (patch.getConfiguration() instanceof ConfigurationPatch config) {
            if (config.getSamplingRate() instanceof Double rate) {
                errors.addAll(samplingRateErrors(rate));
            } else if (config.getOtherKeys().stream().anyMatch(m -> m.getName().equals(SAMPLING_RATE))) {
                // Only a producer writing to Kafka directly can get here: the schema gives sampling_rate a typed field.
                errors.add(invalid("configuration." + SAMPLING_RATE, NOT_A_NUMBER));
            }
            for (JsonMember member : config.getOtherKeys()) {
                FreeFormValues.surrogate(member.getName()).or(() -> FreeFormValues.problem(member.getValue()))
                        .ifPresent(problem -> errors.add(invalid("configuration", problem)));
            }
        }
        if (patch.getEvaluatorIds() instanceof List<?> ids) {
            if (ids.isEmpty()) {
                errors.add(invalid(EVALUATOR_IDS, EVALUATORS_REQUIRED));
            }
            for (int i = 0; i < ids.size(); i++) {
                errors.addAll(evaluatorIdErrors(i, String.valueOf(ids.get(i))));
            }
        }
        return inFieldOrder(errors);
    }

    /** The rules of {@code name} (a DRF CharField with max_length 255). */
    public static List<CommandError> nameErrors(String name) {
        return charFieldErrors(name, NAME_MAX).stream().map(message -> invalid("name", message)).toList();
    }

    /** The rules of the {@code index}th element of {@code evaluator_ids} (a DRF CharField), keyed by index. */
    public static List<CommandError> evaluatorIdErrors(int index, String id) {
        return charFieldErrors(id, null).stream().map(message -> invalid(EVALUATOR_IDS + "." + index, message)).toList();
    }

    /** The range rule of {@code configuration.sampling_rate}: 0.0 to 1.0 inclusive, so never NaN. */
    public static List<CommandError> samplingRateErrors(double rate) {
        return rate >= 0.0 && rate <= 1.0 ? List.of() : List.of(invalid("configuration." + SAMPLING_RATE, SAMPLING_RATE_RANGE));
    }

    /**
     * DRF {@code CharField} validation of a string: blank after trimming, else every validator that fails, in
     * DRF's order (max length in code points, NUL characters, the first surrogate).
     */
    static List<String> charFieldErrors(String value, Integer maxLength) {
        String trimmed = strip(value);
        if (trimmed.isEmpty()) {
            return List.of(BLANK);
        }
        List<String> messages = new ArrayList<>(3);
        if (maxLength != null && trimmed.codePointCount(0, trimmed.length()) > maxLength) {
            messages.add("Ensure this field has no more than " + maxLength + " characters.");
        }
        if (trimmed.indexOf('\0') >= 0) {
            messages.add(NULL_CHARACTERS);
        }
        // Paired surrogates are one code point (as in Python); only unpaired ones remain in this range.
        FreeFormValues.surrogate(trimmed).ifPresent(messages::add);
        return messages;
    }

    /** Python's {@code str.strip()}, which DRF's CharField applies: trims every character {@code isspace()} accepts. */
    public static String strip(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isPythonSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /**
     * The requested evaluator ids as applied: trimmed, duplicates removed keeping the first occurrence;
     * empty when the patch does not set them.
     */
    public static List<String> distinctEvaluatorIds(AutomationPatch patch) {
        return patch.getEvaluatorIds() instanceof List<?> ids
                ? List.copyOf(new LinkedHashSet<>(ids.stream().map(id -> strip(String.valueOf(id))).toList()))
                : List.of();
    }

    /**
     * Decides a command against the stored automation: request-level rules again, then the state-level ones
     * (every evaluator must be the team's, the merged configuration must hold a valid sampling rate), then the
     * change.
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
        AutomationConfiguration configuration = merge(current.getConfiguration(), patch.getConfiguration());
        if (isSet(patch.getConfiguration())) {
            // DRF partial update: the merged configuration is validated when configuration is sent.
            Double rate = configuration.getSamplingRate();
            if (rate == null) {
                errors.add(invalid("configuration." + SAMPLING_RATE, REQUIRED));
            } else {
                errors.addAll(samplingRateErrors(rate));
            }
        }
        boolean replaceEvaluators = isSet(patch.getEvaluatorIds());
        List<String> evaluatorIds = replaceEvaluators ? distinctEvaluatorIds(patch) : current.getEvaluatorIds();
        List<String> missing = replaceEvaluators
                ? evaluatorIds.stream().filter(id -> !evaluators.containsKey(id)).toList()
                : List.of();
        if (!missing.isEmpty()) {
            errors.add(invalid(EVALUATOR_IDS, EVALUATORS_NOT_FOUND + String.join(", ", missing)));
        }
        if (!errors.isEmpty()) {
            return Decision.rejected(inFieldOrder(errors));
        }
        // the all-fields constructor, not newBuilder(current): that deep-copies every field of current (condition,
        // evaluators, configuration), most of them to be replaced at once; what is kept is shared, as immutable values
        AutomationState next = new AutomationState(current.getId(), current.getTeamId(), current.getSlug(),
                patch.getName() instanceof String name ? strip(name) : current.getName(), current.getAutomationType(),
                current.getCondition(), evaluatorIds,
                replaceEvaluators ? evaluatorIds.stream().map(evaluators::get).toList() : current.getEvaluatorDetails(),
                patch.getIsEnabled() instanceof Boolean enabled ? enabled : current.getIsEnabled(), configuration,
                current.getCreatedAt(), current.getUpdatedAt(), current.getVersion());
        List<String> changed = new ArrayList<>();
        addIfChanged(changed, "name", current.getName(), next.getName());
        addIfChanged(changed, "is_enabled", current.getIsEnabled(), next.getIsEnabled());
        addIfChanged(changed, "configuration", current.getConfiguration(), next.getConfiguration());
        addIfChanged(changed, EVALUATOR_IDS, current.getEvaluatorIds(), next.getEvaluatorIds());
        if (changed.isEmpty()) {
            return Decision.unchanged(current);
        }
        next.setVersion(current.getVersion() + 1);
        next.setUpdatedAt(now.truncatedTo(ChronoUnit.MICROS));
        return Decision.applied(next, changed);
    }

    /**
     * Shallow merge: sent keys replace stored ones in place, new keys are appended, keys not sent are kept. A
     * sent {@code evaluator_ids} is ignored: the stored configuration mirrors the top-level list.
     */
    static AutomationConfiguration merge(AutomationConfiguration stored, Object patch) {
        if (!(patch instanceof ConfigurationPatch config)) {
            return stored;
        }
        List<JsonMember> members = new ArrayList<>(stored.getOtherKeys());
        for (JsonMember sent : config.getOtherKeys()) {
            if (sent.getName().equals(EVALUATOR_IDS) || sent.getName().equals(SAMPLING_RATE)) {
                continue;
            }
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

    /**
     * {@code errors} in DRF's order: by serializer field, then (for list elements such as
     * {@code evaluator_ids.3}) by index; stable otherwise.
     */
    public static List<CommandError> inFieldOrder(List<CommandError> errors) {
        Comparator<CommandError> byField = Comparator.comparingInt(e -> fieldRank(e.getField()));
        return errors.stream().sorted(byField.thenComparingInt(e -> elementIndex(e.getField()))).toList();
    }

    private static int fieldRank(String field) {
        if (field == null) {
            return -1;
        }
        int rank = FIELD_ORDER.indexOf(field.split("\\.", 2)[0]);
        return rank < 0 ? FIELD_ORDER.size() : rank;
    }

    private static int elementIndex(String field) {
        if (field == null) {
            return -1;
        }
        String[] path = field.split("\\.");
        if (path.length < 2) {
            return -1;
        }
        try {
            return Integer.parseInt(path[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
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
