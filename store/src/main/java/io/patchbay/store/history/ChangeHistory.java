package io.patchbay.store.history;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import io.patchbay.store.commandlog.ChangeLogEntry;

/**
 * Reads the change log as history: one resource's versions newest first, and a team's changes in the order of the
 * feed ({@link FeedPosition}). Every read is scoped to a team. Both are keyset-paginated, so a page's position stays
 * valid while new changes are written: versions are only ever added above a resource's newest, and feed rows only
 * after every position already shown (see {@code V4__change_feed.sql}).
 */
public final class ChangeHistory {

    private static final String COLUMNS = "resource_type, resource_id, version, event_id, command_id, team_id,"
            + " occurred_at, payload, writer_fingerprint";

    /**
     * Up to {@code limit} versions of one resource of {@code teamId}, newest first, all below {@code beforeVersion}
     * when given.
     */
    public List<ChangeLogEntry> versions(Handle handle, String teamId, String resourceType, String resourceId,
                                        OptionalLong beforeVersion, int limit) {
        return handle.createQuery("select " + COLUMNS + " from change_log where resource_type = :type"
                        + " and resource_id = :id and team_id = :team and version < :before order by version desc limit :limit")
                .bind("type", resourceType).bind("id", resourceId).bind("team", teamId)
                .bind("before", beforeVersion.orElse(Long.MAX_VALUE)).bind("limit", limit)
                .mapTo(ChangeLogEntry.class).list();
    }

    /**
     * Up to {@code limit} changes of {@code teamId} whose resource type is one of {@code resourceTypes}, in feed order,
     * all after {@code after} when given. Changes of transactions that may still be followed by an earlier-ordered one
     * (a transaction older than them is still running) are not returned yet.
     */
    public List<FeedEntry> feed(Handle handle, String teamId, Collection<String> resourceTypes, FeedPosition after,
                                int limit) {
        Query query = handle.createQuery("select " + COLUMNS + ", feed_tx::text::bigint as tx, feed_seq from change_log"
                        + " where team_id = :team and resource_type = any(:types)"
                        + (after == null ? "" : " and (feed_tx, feed_seq) > (cast(:tx as xid8), :seq)")
                        + " and feed_tx < pg_snapshot_xmin(pg_current_snapshot())"
                        + " order by feed_tx, feed_seq limit :limit")
                .bind("team", teamId).bind("types", resourceTypes.toArray(String[]::new)).bind("limit", limit);
        if (after != null) {
            query.bind("tx", Long.toString(after.transaction())).bind("seq", after.sequence());
        }
        return query.map((rs, ctx) -> new FeedEntry(ctx.findRowMapperFor(ChangeLogEntry.class).orElseThrow().map(rs, ctx),
                new FeedPosition(rs.getLong("tx"), rs.getLong("feed_seq")))).list();
    }
}
