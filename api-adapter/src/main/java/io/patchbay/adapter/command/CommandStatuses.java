package io.patchbay.adapter.command;

import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;

/**
 * The command resource (api-contract §5): PENDING from the adapter's record of the request until the processor
 * decides, then the outcome from the command log. A command of another team, or one the caller has neither
 * scope of its family for, is reported like an unknown one.
 */
public final class CommandStatuses {

    private final Jdbi jdbi;
    private final ResourceApiResolver resources;
    private final CommandSubmitter submitter;
    private final CommandStatusJson json;
    private final CommandRequests requests = new CommandRequests();
    private final CommandLog commandLog = new CommandLog();

    public CommandStatuses(Jdbi jdbi, ResourceApiResolver resources, CommandSubmitter submitter, CommandStatusJson json) {
        this.jdbi = jdbi;
        this.resources = resources;
        this.submitter = submitter;
        this.json = json;
    }

    /** The command resource of {@code commandId} as {@code principal} may see it; empty means 404. */
    public Optional<byte[]> find(Principal principal, String commandId) {
        Optional<CommandRequest> accepted = jdbi.withHandle(h -> requests.find(h, principal.teamId(), commandId));
        Optional<CommandLogEntry> decided = jdbi.withHandle(h -> commandLog.find(h, commandId))
                .filter(entry -> entry.teamId().equals(principal.teamId()));
        if (accepted.isEmpty() && decided.isEmpty()) {
            return Optional.empty();
        }
        ResourceApi resource = resources.resolve(ResourceType.valueOf(
                accepted.map(CommandRequest::resourceType).orElseGet(() -> decided.get().resourceType())));
        if (!principal.has(resource.readScope()) && !principal.has(resource.writeScope())) {
            return Optional.empty();
        }
        CommandResult result = decided.isPresent() ? submitter.storedResult(commandId).orElse(null) : null;
        return Optional.of(json.render(commandId,
                accepted.map(CommandRequest::method).orElse("PATCH"),
                accepted.map(CommandRequest::path).orElse(null),
                accepted.map(CommandRequest::requestId).orElseGet(() -> decided.get().requestId()),
                accepted.map(CommandRequest::createdAt).orElseGet(() -> decided.get().receivedAt()),
                result));
    }
}
