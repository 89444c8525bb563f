package io.patchbay.admin;

import java.util.regex.Pattern;

import io.patchbay.schemas.rules.EvaluationRules;

/** Rules of the identifiers and display names an operator chooses: team ids, key ids, resource ids and slugs. */
public final class Names {

    /**
     * Ids appear in URL paths and, for API keys, inside the {@code pb.<keyId>.<secret>} token: URL-unreserved
     * characters only, and no dot in key ids.
     */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Django's SlugField, as Respan slugs are. */
    private static final Pattern SLUG = Pattern.compile("[-a-zA-Z0-9_]{1,255}");

    private Names() {
    }

    /** Null when {@code id} is a valid resource or team id, else why not. */
    public static String idProblem(String id) {
        return ID.matcher(id).matches() ? null
                : "must be 1 to 128 of the characters A-Z a-z 0-9 . _ ~ - and not start with a dot";
    }

    /** Null when {@code id} is a valid API key id, else why not. */
    public static String keyIdProblem(String id) {
        return KEY_ID.matcher(id).matches() ? null : "must be 1 to 64 of the characters A-Z a-z 0-9 _ -";
    }

    /** Null when {@code slug} is a valid slug, else why not. */
    public static String slugProblem(String slug) {
        return SLUG.matcher(slug).matches() ? null : "must be 1 to 255 of the characters A-Z a-z 0-9 _ -";
    }

    /** Null when {@code name} is a valid display name of a team (1 to 200 characters of valid text), else why not. */
    public static String teamNameProblem(String name) {
        if (name.isBlank() || name.length() > EvaluationRules.NAME_MAX) {
            return "must be 1 to " + EvaluationRules.NAME_MAX + " characters and not blank";
        }
        return EvaluationRules.checkText("name", name).map(e -> e.getMessage()).orElse(null);
    }

    /** Throws {@link AdminException} naming {@code what} when {@code problem} is not null. */
    public static void require(String what, String problem) {
        if (problem != null) {
            throw new AdminException(what + " " + problem);
        }
    }
}
