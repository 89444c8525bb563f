package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed reads of one import line's members, collecting every problem as {@code member: message} instead of stopping at
 * the first, so that the report names them all. A member the line's kind does not know is a problem too.
 */
public final class LineReader {

    private final ObjectNode node;
    private final List<String> errors = new ArrayList<>();

    public LineReader(ObjectNode node, Set<String> members) {
        this.node = node;
        for (String member : node.propertyNames()) {
            if (!members.contains(member)) {
                errors.add(member + ": unknown member");
            }
        }
    }

    public List<String> errors() {
        return errors;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void error(String member, String message) {
        errors.add(member == null ? message : member + ": " + message);
    }

    public boolean has(String member) {
        return node.has(member);
    }

    public JsonNode get(String member) {
        return node.get(member);
    }

    /** A string that must be present and not null. */
    public String requiredString(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            error(member, "required");
            return null;
        }
        return string(member, value);
    }

    /** A string, or {@code absent} when the member is missing; null is refused. */
    public String string(String member, String absent) {
        JsonNode value = node.get(member);
        if (value == null) {
            return absent;
        }
        if (value.isNull()) {
            error(member, "must not be null");
            return null;
        }
        return string(member, value);
    }

    /** A string or null; null when missing. */
    public String nullableString(String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : string(member, value);
    }

    private String string(String member, JsonNode value) {
        if (!value.isString()) {
            error(member, "must be a string");
            return null;
        }
        return value.stringValue();
    }

    /** A boolean, {@code absent} when missing; null is refused. */
    public Boolean bool(String member, boolean absent) {
        JsonNode value = node.get(member);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            error(member, "must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    /** A boolean or null; null when missing. */
    public Boolean nullableBool(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            error(member, "must be true, false or null");
            return null;
        }
        return value.booleanValue();
    }

    /**
     * One of {@code values} by name; {@code absent} when missing (null refused unless {@code nullable}).
     *
     * @param ignoreCase whether the name may come in any case (as the API accepts it for this member)
     */
    public <E extends Enum<E>> E enumValue(String member, E[] values, E absent, boolean nullable, boolean ignoreCase) {
        JsonNode value = node.get(member);
        if (value == null) {
            return absent;
        }
        if (value.isNull()) {
            if (!nullable) {
                error(member, "must not be null");
            }
            return null;
        }
        String text = string(member, value);
        if (text == null) {
            return null;
        }
        for (E candidate : values) {
            if (ignoreCase ? candidate.name().equalsIgnoreCase(text) : candidate.name().equals(text)) {
                return candidate;
            }
        }
        error(member, "invalid value '" + text + "'; expected one of "
                + String.join(", ", Arrays.stream(values).map(Enum::name).toList()));
        return null;
    }

    /** An ISO 8601 date-time with an offset ({@code 2026-06-30T00:00:00Z}), or null; null when missing. */
    public Instant instant(String member) {
        String text = nullableString(member);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            error(member, "must be an ISO 8601 date-time with an offset, such as 2026-06-30T00:00:00Z");
            return null;
        }
    }

    /** A list of strings; null (with a problem reported) when missing or not a list of strings. */
    public List<String> stringList(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            error(member, "required");
            return null;
        }
        if (!value.isArray()) {
            error(member, "must be a list of strings");
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                error(member + "." + i, "must be a string");
            } else {
                items.add(value.get(i).stringValue());
            }
        }
        return items.size() == value.size() ? items : null;
    }
}
