package io.patchbay.schemas.rules;

import java.util.Collection;
import java.util.List;

import io.patchbay.schemas.ResourceType;

/**
 * API key scopes, built and matched here only: {@code <family>:read}, {@code <family>:write}, the family wildcard
 * {@code <family>:*} and {@value #ALL}. A scope is granted by itself, its family wildcard, or {@value #ALL}.
 */
public final class Scopes {

    public static final String EVALUATIONS_READ = "evaluations:read";
    public static final String EVALUATIONS_WRITE = "evaluations:write";
    public static final String EVALUATIONS_ALL = "evaluations:*";
    public static final String AUTOMATIONS_READ = "automations:read";
    public static final String AUTOMATIONS_WRITE = "automations:write";
    public static final String AUTOMATIONS_ALL = "automations:*";
    public static final String ALL = "*";

    /** Every scope a key may hold, from the widest. */
    public static final List<String> KNOWN = List.of(ALL, EVALUATIONS_ALL, EVALUATIONS_READ, EVALUATIONS_WRITE,
            AUTOMATIONS_ALL, AUTOMATIONS_READ, AUTOMATIONS_WRITE);

    private Scopes() {
    }

    /** The scope that lets a key change resources of {@code type}. */
    public static String write(ResourceType type) {
        return type == ResourceType.EVALUATION ? EVALUATIONS_WRITE : AUTOMATIONS_WRITE;
    }

    /** The scope that lets a key read resources of {@code type}. */
    public static String read(ResourceType type) {
        return type == ResourceType.EVALUATION ? EVALUATIONS_READ : AUTOMATIONS_READ;
    }

    /** Whether the scopes {@code held} grant {@code required}. */
    public static boolean grants(Collection<String> held, String required) {
        String family = required.substring(0, required.indexOf(':'));
        return held.contains(required) || held.contains(family + ":*") || held.contains(ALL);
    }
}
