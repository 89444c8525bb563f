package io.patchbay.store.request;

import java.time.Instant;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** The adapter's Idempotency-Key claims (api-contract §2), one per (team, key). */
public final class CommandRequests {

    /** How many statements a claim may take when concurrent claims of the same key race; two suffice in practice. */
    private static final int CLAIM_ATTEMPTS = 3;
    private static final String COLUMNS = "command_id, team_id, resource_type, method, path, request_id, api_version,"
            + " idempotency_key, fingerprint, state, lease_until, created_at, expires_at";
    private static final String VALUES = ":commandId, :teamId, :resourceType, :method, :path, :requestId, :apiVersion,"
            + " :idempotencyKey, :fingerprint, :state, :leaseUntil, :createdAt, :expiresAt";

    /** What a claim found: the record that holds the key, and whether it is the request's own (a new claim). */
    public record Claim(CommandRequest holder, boolean claimed) {
    }

    /**
     * Claims {@code request}'s (team, key) in one statement: inserts the record, or, when the key is held already,
     * returns the holder instead and writes nothing. (A second statement runs only when a concurrent claim of the same
     * key commits between the insert's conflict check and the statement's snapshot.)
     */
    public Claim claim(Handle handle, CommandRequest request) {
        if (request.idempotencyKey() == null) {
            throw new IllegalArgumentException("only requests with an Idempotency-Key are recorded");
        }
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            Optional<Claim> claim = handle.createQuery("with claimed as (insert into command_request (" + COLUMNS
                            + ") values (" + VALUES + ") on conflict (team_id, idempotency_key) where idempotency_key is not null"
                            + " do nothing returning " + COLUMNS + ")"
                            + " select " + COLUMNS + ", true as claimed from claimed"
                            + " union all select " + COLUMNS + ", false from command_request where team_id = :teamId"
                            + " and idempotency_key = :idempotencyKey and not exists (select 1 from claimed)")
                    .bindMethods(request)
                    .map((rs, ctx) -> new Claim(ctx.findRowMapperFor(CommandRequest.class).orElseThrow().map(rs, ctx),
                            rs.getBoolean("claimed")))
                    .findOne();
            if (claim.isPresent()) {
                return claim.get();
            }
        }
        throw new IllegalStateException("Idempotency-Key claim of team " + request.teamId() + " neither inserted nor found");
    }

    public Optional<CommandRequest> findByKey(Handle handle, String teamId, String idempotencyKey) {
        return handle.createQuery("select " + COLUMNS + " from command_request where team_id = :team"
                        + " and idempotency_key = :key")
                .bind("team", teamId).bind("key", idempotencyKey).mapTo(CommandRequest.class).findOne();
    }

    /**
     * Ends the lease of the claim of {@code commandId} at once ({@code lease_until} set to its {@code created_at}): its
     * publish failed, which does not prove the command absent from Kafka (the broker may have appended it before the
     * failure), so the claim and its command id stay, and the next identical request publishes the same command again
     * without waiting for the lease (the processor decides a command id once). A claim marked submitted is left as it
     * is. Returns whether a lease was ended.
     */
    public boolean endLease(Handle handle, String commandId) {
        return handle.createUpdate("update command_request set lease_until = created_at where command_id = :id"
                        + " and state = :claimed")
                .bind("id", commandId).bind("claimed", CommandRequest.CLAIMED).execute() == 1;
    }

    /**
     * Marks the claim of {@code commandId} {@code SUBMITTED}: the broker acknowledged its command, so a retry may be
     * told 202 for it. Returns whether a claim was marked (false when it was marked already or is gone).
     */
    public boolean markSubmitted(Handle handle, String commandId) {
        return handle.createUpdate("update command_request set state = :submitted where command_id = :id and state = :claimed")
                .bind("id", commandId).bind("submitted", CommandRequest.SUBMITTED).bind("claimed", CommandRequest.CLAIMED)
                .execute() == 1;
    }

    /** Deletes up to {@code limit} records that expired before {@code now}; returns how many. */
    public int purgeExpired(Handle handle, Instant now, int limit) {
        return handle.createUpdate("delete from command_request where command_id in (select command_id from"
                        + " command_request where expires_at < :now limit :limit)")
                .bind("now", now).bind("limit", limit).execute();
    }
}
