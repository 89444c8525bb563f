package io.patchbay.schemas.rules;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonObject;
import io.patchbay.schemas.JsonValue;

/**
 * The rules of a free-form JSON value (the keys of a Respan {@code configuration} other than {@code sampling_rate}),
 * which patchbay stores as sent. What could not be stored as sent, or read back, is refused:
 * <ul>
 *   <li>more than {@value #MAX_DEPTH} levels of arrays and objects (the adapter parses at most 500 levels, and a
 *       command from Kafka could otherwise hold thousands, which no code should have to recurse through);</li>
 *   <li>an unpaired UTF-16 surrogate in a string or member name (it has no UTF-8 form: PostgreSQL would get
 *       {@code ?}), reported as DRF's own validators word it;</li>
 *   <li>a number literal that is not a JSON number of at most {@value #MAX_NUMBER_LENGTH} characters (only a producer
 *       writing to Kafka can send one).</li>
 * </ul>
 * The check stops at the first problem and never goes deeper than the limit, so it cannot overflow the stack.
 */
public final class FreeFormValues {

    /** Most levels of arrays and objects a free-form value may nest. */
    public static final int MAX_DEPTH = 64;
    /** Longest number literal, as Jackson's default stream limit. */
    public static final int MAX_NUMBER_LENGTH = 1_000;

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private FreeFormValues() {
    }

    /** The first problem of {@code value}, as a message for its field; empty when it can be stored as sent. */
    public static Optional<String> problem(JsonValue value) {
        return problem(value, 0);
    }

    private static Optional<String> problem(JsonValue value, int depth) {
        Object raw = value == null ? null : value.getValue();
        if (raw instanceof CharSequence text) {
            return surrogate(text.toString());
        }
        if (raw instanceof JsonNumber number) {
            String literal = number.getLiteral();
            return literal.length() <= MAX_NUMBER_LENGTH && JSON_NUMBER.matcher(literal).matches() ? Optional.empty()
                    : Optional.of(AutomationRules.NOT_A_NUMBER);
        }
        if (!(raw instanceof List<?>) && !(raw instanceof JsonObject)) {
            return Optional.empty();
        }
        if (depth >= MAX_DEPTH) {
            return Optional.of("Nested too deeply: at most " + MAX_DEPTH + " levels of arrays and objects.");
        }
        if (raw instanceof List<?> items) {
            for (Object item : items) {
                Optional<String> problem = problem((JsonValue) item, depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        for (JsonMember member : ((JsonObject) raw).getMembers()) {
            Optional<String> problem = surrogate(member.getName()).or(() -> problem(member.getValue(), depth + 1));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** DRF's message for the first unpaired surrogate of {@code text}, if it has one. */
    static Optional<String> surrogate(String text) {
        return text.codePoints().filter(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE).boxed().findFirst()
                .map(surrogate -> String.format("Surrogate characters are not allowed: U+%X.", surrogate));
    }
}
