package io.patchbay.adapter.command;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;

/**
 * The command resource (api-contract §5). A decided command is answered from the command log (any producer's,
 * within the caller's team). An undecided one is PENDING only when its id verifies for the caller's team
 * ({@link CommandIds}: malformed, made-up and other teams' ids are 404 without a lookup) and the command is on
 * its commands topic ({@link CommandRecords}), whichever adapter accepted it and whether or not that adapter still
 * runs. A caller without either scope of the command's family gets the same 404.
 */
public final class CommandStatuses {

    private final Jdbi jdbi;
    private final ResourceApiResolver resources;
    private final CommandIds ids;
    private final CommandRecords records;
    private final CommandSubmitter submitter;
    private final CommandStatusJson json;
    private final Duration retention;
    private final Clock clock;
    private final CommandLog commandLog = new CommandLog();

    public CommandStatuses(Jdbi jdbi, ResourceApiResolver resources, CommandIds ids, CommandRecords records,
                           CommandSubmitter submitter, CommandStatusJson json, Duration retention, Clock clock) {
        this.jdbi = jdbi;
        this.resources = resources;
        this.ids = ids;
        this.records = records;
        this.submitter = submitter;
        this.json = json;
        this.retention = retention;
        this.clock = clock;
    }

    /** The command resource of {@code commandId} as {@code principal} may see it; empty means 404. */
    public Optional<byte[]> find(Principal principal, String commandId) {
        Optional<CommandIds.Verified> verified = ids.verify(commandId, principal.teamId());
        Optional<CommandLogEntry> decided = jdbi.withHandle(h -> commandLog.find(h, commandId))
                .filter(entry -> entry.teamId().equals(principal.teamId()));
        if (decided.isPresent()) {
            CommandLogEntry entry = decided.get();
            if (!mayRead(principal, ResourceType.valueOf(entry.resourceType()))) {
                return Optional.empty();
            }
            CommandResult result = submitter.storedResult(commandId).orElseThrow();
            return Optional.of(json.render(commandId, "PATCH", entry.path(), entry.requestId(), entry.receivedAt(), result));
        }
        if (verified.isEmpty() || !mayRead(principal, verified.get().type())
                || verified.get().acceptedAt().plus(retention).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return records.find(verified.get().type(), commandId, verified.get().acceptedAt())
                .filter(metadata -> metadata.getTeamId().equals(principal.teamId()))
                .map(metadata -> pending(commandId, metadata, verified.get()));
    }

    private byte[] pending(String commandId, CommandMetadata metadata, CommandIds.Verified verified) {
        return json.render(commandId, "PATCH", metadata.getPath(), metadata.getRequestId(), verified.acceptedAt(), null);
    }

    private boolean mayRead(Principal principal, ResourceType type) {
        ResourceApi resource = resources.resolve(type);
        return principal.has(resource.readScope()) || principal.has(resource.writeScope());
    }
}
