package io.patchbay.schemas.rules;

import java.util.Collection;

/** Scope matching: the literal scope, then its family wildcard ({@code evaluations:*}), then {@code *}. */
public final class Scopes {

    public static final String EVALUATIONS_READ = "evaluations:read";
    public static final String EVALUATIONS_WRITE = "evaluations:write";
    public static final String AUTOMATIONS_READ = "automations:read";
    public static final String AUTOMATIONS_WRITE = "automations:write";

    private Scopes() {
    }

    public static boolean grants(Collection<String> held, String required) {
        String family = required.substring(0, required.indexOf(':'));
        return held.contains(required) || held.contains(family + ":*") || held.contains("*");
    }
}
