package io.patchbay.admin.resources.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.patchbay.admin.Names;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.EvaluationRules;

/** Checks and lookups every kind shares. */
final class Tables {

    private Tables() {
    }

    /**
     * The members whose stored and wanted values differ; {@code members}, {@code stored} and {@code wanted} are
     * parallel lists.
     */
    static List<String> differing(List<String> members, List<?> stored, List<?> wanted) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (!Objects.equals(stored.get(i), wanted.get(i))) {
                differences.add(members.get(i));
            }
        }
        return differences;
    }

    /** The line's {@code id}, checked. */
    static String id(LineReader reader) {
        String id = reader.requiredString("id");
        if (id != null && Names.idProblem(id) != null) {
            reader.error("id", Names.idProblem(id));
        }
        return id;
    }

    /** A required slug member, checked. */
    static String slug(LineReader reader, String member) {
        String slug = reader.requiredString(member);
        if (slug != null && Names.slugProblem(slug) != null) {
            reader.error(member, Names.slugProblem(slug));
        }
        return slug;
    }

    /** A Respan name (a DRF CharField of at most 255 characters, as the API checks it), trimmed as the API stores it. */
    static String respanName(LineReader reader) {
        String name = reader.requiredString("name");
        if (name == null) {
            return null;
        }
        AutomationRules.nameErrors(name).forEach(e -> reader.error(e.getField(), e.getMessage()));
        return AutomationRules.strip(name);
    }

    /** Text that PostgreSQL and Kafka can carry as it is (no NUL, no unpaired surrogate). */
    static void text(LineReader reader, String member, String value) {
        if (value != null) {
            EvaluationRules.checkText(member, value).ifPresent(e -> reader.error(member, e.getMessage()));
        }
    }

    /** A required text member that must not be blank. */
    static String nonBlank(LineReader reader, String member) {
        String value = reader.requiredString(member);
        if (value != null && value.isBlank()) {
            reader.error(member, "must not be blank");
        }
        text(reader, member, value);
        return value;
    }
}
