package io.patchbay.admin.resources.internal;

import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.Names;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.EvaluationRules;

/** Checks and lookups every kind shares. */
final class Tables {

    private Tables() {
    }

    /** The team of the row of {@code table} with this id. {@code table} is one of patchbay's, never input. */
    static Optional<String> ownerOf(Handle handle, String table, String id) {
        return handle.createQuery("select team_id from " + table + " where id = :id").bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** Another row of {@code table} in {@code team} with this slug. */
    static Optional<String> slugTakenBy(Handle handle, String table, String team, String slug, String id) {
        return handle.createQuery("select id from " + table + " where team_id = :team and slug = :slug and id <> :id")
                .bind("team", team).bind("slug", slug).bind("id", id).mapTo(String.class).findOne();
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
