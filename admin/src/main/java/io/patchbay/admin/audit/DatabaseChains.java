package io.patchbay.admin.audit;

import java.util.Locale;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ResourceType;

/**
 * Verifies every resource's chain in the change log, row by row in version order, and that each resource's newest
 * event is its current version (so a dropped newest version is found too).
 */
public final class DatabaseChains {

    /** Runs in the caller's transaction (PostgreSQL streams rows only inside one). */
    public ChainVerifier.Report verify(Handle handle) {
        ChainVerifier verifier = new ChainVerifier();
        handle.createQuery("select resource_type, resource_id, version, payload from change_log"
                        + " order by resource_type, resource_id, version")
                .setFetchSize(500)
                .map((rs, ctx) -> {
                    verifier.accept(rs.getString("resource_type") + "/" + rs.getString("resource_id"),
                            rs.getLong("version"), rs.getBytes("payload"));
                    return Boolean.TRUE;
                })
                .forEach(row -> { });
        for (ResourceType type : ResourceType.values()) {
            handle.createQuery("select id, version from " + type.name().toLowerCase(Locale.ROOT) + " order by id")
                    .setFetchSize(500)
                    .map((rs, ctx) -> {
                        verifier.expectNewest(type.name() + "/" + rs.getString("id"), rs.getLong("version"));
                        return Boolean.TRUE;
                    })
                    .forEach(row -> { });
        }
        return verifier.report();
    }
}
