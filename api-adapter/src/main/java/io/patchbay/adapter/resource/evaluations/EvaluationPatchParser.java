package io.patchbay.adapter.resource.evaluations;

import static io.patchbay.schemas.rules.Patches.UNSET;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.patchbay.adapter.http.ApiError;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.Unset;
import io.patchbay.schemas.rules.EvaluationRules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an Autousers PATCH body into a typed {@link EvaluationPatch}: strict members, then {@code id} and
 * {@code teamId}, then every field in contract order (type, null, enum, length, expiry); the first failure is
 * the answer (api-contract §3.3, §3.8 step 9). The share password stays plaintext only until it is hashed.
 */
final class EvaluationPatchParser {

    /** The typed patch, and the plaintext password to hash before publishing (or null). */
    public record Parsed(EvaluationPatch patch, String plainPassword) {
        @Override
        public String toString() {
            return "Parsed[patch=" + patch + ", plainPassword=" + (plainPassword == null ? "null" : "<redacted>") + "]";
        }
    }

    private static final List<String> CLEARABLE = List.of("description", "shareExpiry", "browserEngine", "useProxy",
            "proxyRegion", "modelId");

    /**
     * @param now the validation instant: {@code shareExpiry} must be later; the command carries it as
     *            {@code receivedAt}, so the processor re-checks against the same instant
     */
    Parsed parse(ObjectNode body, String pathId, String teamId, Instant now) {
        for (String member : body.propertyNames()) {
            if (!member.equals("id") && !member.equals("teamId") && !EvaluationRules.FIELD_ORDER.contains(member)) {
                throw ApiError.invalid(member, "Unrecognized field '" + member + "'.").exception();
            }
        }
        expectEqual(body, "id", pathId, "Body id does not match the id in the path.");
        expectEqual(body, "teamId", teamId, "teamId must be the team of your API key; evaluations cannot move between teams.");
        EvaluationPatch patch = unsetPatch();
        String password = null;
        for (String field : EvaluationRules.FIELD_ORDER) {
            JsonNode node = body.get(field);
            if (node == null) {
                continue;
            }
            if (node.isNull() && !CLEARABLE.contains(field)) {
                throw ApiError.invalid(field, field + " cannot be null.").exception();
            }
            Object value = node.isNull() ? null : typed(field, node);
            if (field.equals("sharePassword")) {
                password = (String) value;
                fail(EvaluationRules.checkPlainPassword(password));
                continue;
            }
            fail(EvaluationRules.checkValue(field, value));
            if (value instanceof Instant expiry) {
                fail(EvaluationRules.checkExpiryInFuture(expiry, now));
            }
            patch.put(field, value);
        }
        patch.setFieldOrder(body.propertyNames().stream().filter(EvaluationRules.FIELD_ORDER::contains).toList());
        return new Parsed(patch, password);
    }

    /**
     * A patch with every field {@link Unset}, the schema's defaults, built with the all-fields constructor: the
     * builder's {@code build()} deep-copied the default of each of the 17 fields on every request. Same bytes on the
     * wire ({@code EvaluationPatchBytesTest}); the field order is set by {@link #parse}.
     */
    static EvaluationPatch unsetPatch() {
        return new EvaluationPatch(UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET,
                UNSET, UNSET, UNSET, UNSET, List.of());
    }

    private static Object typed(String field, JsonNode node) {
        return switch (field) {
            case "name", "description", "proxyRegion", "modelId", "sharePassword" -> string(field, node);
            case "type" -> enumValue(field, node, EvaluationType.values(), false);
            case "status" -> enumValue(field, node, EvaluationStatus.values(), false);
            case "shareAccess" -> enumValue(field, node, ShareAccess.values(), false);
            case "browserEngine" -> enumValue(field, node, BrowserEngine.values(), true);
            case "shareExpiry" -> expiry(node);
            default -> bool(field, node);
        };
    }

    /** An ISO 8601 date-time with an offset, at the millisecond precision a command carries; "" clears. */
    private static Instant expiry(JsonNode node) {
        String text = string("shareExpiry", node);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("shareExpiry", "shareExpiry must be an ISO 8601 date-time with an offset, such as 2026-06-30T00:00:00Z.").exception();
        }
    }

    private static <E extends Enum<E>> E enumValue(String field, JsonNode node, E[] values, boolean ignoreCase) {
        String text = string(field, node);
        Map<String, E> byName = new java.util.HashMap<>();
        Arrays.stream(values).forEach(v -> byName.put(ignoreCase ? v.name().toUpperCase(Locale.ROOT) : v.name(), v));
        E value = byName.get(ignoreCase ? text.toUpperCase(Locale.ROOT) : text);
        if (value == null) {
            throw ApiError.invalid(field, "Invalid value '" + text + "' for " + field + "; expected one of "
                    + String.join(", ", Arrays.stream(values).map(Enum::name).toList()) + ".").exception();
        }
        return value;
    }

    private static String string(String field, JsonNode node) {
        if (!node.isString()) {
            throw ApiError.invalid(field, field + " must be a string.").exception();
        }
        return node.stringValue();
    }

    private static Boolean bool(String field, JsonNode node) {
        if (!node.isBoolean()) {
            throw ApiError.invalid(field, field + " must be a boolean.").exception();
        }
        return node.booleanValue();
    }

    private static void expectEqual(ObjectNode body, String member, String expected, String message) {
        JsonNode node = body.get(member);
        if (node != null && !(node.isString() && node.stringValue().equals(expected))) {
            throw ApiError.invalid(member, message).exception();
        }
    }

    private static void fail(Optional<CommandError> error) {
        error.ifPresent(e -> {
            throw ApiError.invalid(e.getField(), e.getMessage()).exception();
        });
    }

}
