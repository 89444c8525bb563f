package io.patchbay.admin.replay;

import java.time.Instant;

/**
 * Which change-log entries a replay re-publishes; every part is optional (null: no limit).
 *
 * @param resourceType {@code EVALUATION} or {@code AUTOMATION}
 * @param resourceId one resource
 * @param fromVersion lowest version, inclusive
 * @param toVersion highest version, inclusive
 * @param since earliest {@code occurredAt}, inclusive
 * @param until latest {@code occurredAt}, exclusive
 */
public record ReplayFilter(String resourceType, String resourceId, Long fromVersion, Long toVersion, Instant since,
                           Instant until) {

    /** The SQL condition on {@code change_log} (bind with {@link #bind}). */
    String where() {
        return "(cast(:type as text) is null or resource_type = :type)"
                + " and (cast(:id as text) is null or resource_id = :id)"
                + " and version between :fromVersion and :toVersion"
                + " and (cast(:since as timestamptz) is null or occurred_at >= :since)"
                + " and (cast(:until as timestamptz) is null or occurred_at < :until)";
    }

    <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement) {
        return statement.bind("type", resourceType).bind("id", resourceId)
                .bind("fromVersion", fromVersion == null ? 0L : fromVersion)
                .bind("toVersion", toVersion == null ? Long.MAX_VALUE : toVersion)
                .bind("since", since).bind("until", until);
    }
}
