package io.patchbay.adapter.command;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.http.ApiError;
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
 * decides, then the outcome from the command log. A command of another team is reported like an unknown one; a
 * command of the caller's team whose family the caller has neither scope of is a 403 (the scope is checked before
 * the 404, §1.1), as is any command for a key without a read or write scope of either family.
 */
public final class CommandStatuses {

    private static RuntimeException missingScope(List<String> anyOf) {
        return ApiError.of(403, "authorization_error", "missing_required_scope", null,
                "Missing required scope: " + String.join(" or ", anyOf), null).exception();
    }

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

    /**
     * Refuses a key that holds no scope that could ever read a command (a read or write scope of either family).
     *
     * @throws io.patchbay.adapter.http.ApiError.ApiException 403 {@code missing_required_scope}
     */
    public void requireAnyScope(Principal principal) {
        if (resources.all().stream().noneMatch(r -> principal.has(r.readScope()) || principal.has(r.writeScope()))) {
            throw missingScope(resources.all().stream().map(ResourceApi::readScope).toList());
        }
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
            throw missingScope(List.of(resource.readScope(), resource.writeScope()));
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
