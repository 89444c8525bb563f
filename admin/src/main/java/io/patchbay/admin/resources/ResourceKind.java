package io.patchbay.admin.resources;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a line of an import or export describes, in the order an export writes them (references first). */
public enum ResourceKind {
    EVALUATOR, CONDITION, AUTOMATION, EVALUATION;

    /** The {@code kind} member's value: {@code evaluator}, {@code condition}, {@code automation}, {@code evaluation}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ResourceKind> parse(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(wireName)).findFirst();
    }
}
