package io.patchbay.store.request;

import java.time.Instant;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** The adapter's accepted commands and Idempotency-Key claims. */
public final class CommandRequests {

    private static final String COLUMNS = "command_id, team_id, resource_type, method, path, request_id, api_version,"
            + " idempotency_key, fingerprint, state, lease_until, created_at, expires_at";
    private static final String VALUES = ":commandId, :teamId, :resourceType, :method, :path, :requestId, :apiVersion,"
            + " :idempotencyKey, :fingerprint, :state, :leaseUntil, :createdAt, :expiresAt";

    /**
     * Inserts {@code request}. With an idempotency key, the insert is a claim: when a live record for the same
     * (team, key) exists, nothing is written and that record is returned instead.
     */
    public Optional<CommandRequest> insertOrGetClaim(Handle handle, CommandRequest request) {
        Optional<String> inserted = handle.createQuery("insert into command_request (" + COLUMNS + ") values (" + VALUES
                        + ") on conflict do nothing returning command_id")
                .bindMethods(request).mapTo(String.class).findOne();
        if (inserted.isPresent() || request.idempotencyKey() == null) {
            return Optional.empty();
        }
        return findByKey(handle, request.teamId(), request.idempotencyKey());
    }

    public Optional<CommandRequest> findByKey(Handle handle, String teamId, String idempotencyKey) {
        return handle.createQuery("select " + COLUMNS + " from command_request where team_id = :team"
                        + " and idempotency_key = :key")
                .bind("team", teamId).bind("key", idempotencyKey).mapTo(CommandRequest.class).findOne();
    }

    public Optional<CommandRequest> find(Handle handle, String teamId, String commandId) {
        return handle.createQuery("select " + COLUMNS + " from command_request where command_id = :id and team_id = :team")
                .bind("id", commandId).bind("team", teamId).mapTo(CommandRequest.class).findOne();
    }

    /** Replaces an abandoned claim (lease expired, never submitted) with {@code request}; false if it is not abandoned. */
    public boolean takeOver(Handle handle, CommandRequest request, Instant now) {
        int deleted = handle.createUpdate("delete from command_request where team_id = :team and idempotency_key = :key"
                        + " and state = 'CLAIMED' and lease_until < :now")
                .bind("team", request.teamId()).bind("key", request.idempotencyKey()).bind("now", now)
                .execute();
        return deleted == 1 && insertOrGetClaim(handle, request).isEmpty();
    }

    public void markSubmitted(Handle handle, String commandId) {
        handle.createUpdate("update command_request set state = 'SUBMITTED', lease_until = null where command_id = :id")
                .bind("id", commandId).execute();
    }

    public void delete(Handle handle, String commandId) {
        handle.createUpdate("delete from command_request where command_id = :id").bind("id", commandId).execute();
    }

    /** Deletes up to {@code limit} records that expired before {@code now}; returns how many. */
    public int purgeExpired(Handle handle, Instant now, int limit) {
        return handle.createUpdate("delete from command_request where command_id in (select command_id from"
                        + " command_request where expires_at < :now limit :limit)")
                .bind("now", now).bind("limit", limit).execute();
    }
}
