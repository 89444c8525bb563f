package io.patchbay.adapter.commands;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.jdbi.v3.core.Jdbi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.OutcomeRenderer;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.Guard;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.commandlog.CommandLogEntry;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;

/** {@code GET /api/v1/commands/{commandId}}: where a 202 points; PENDING until the processor decides. */
@RestController
public class CommandController {

    private final Guard guard;
    private final Jdbi jdbi;
    private final CommandSubmitter submitter;
    private final OutcomeRenderer renderer;
    private final CommandRequests requests = new CommandRequests();
    private final CommandLog commandLog = new CommandLog();

    public CommandController(Guard guard, Jdbi jdbi, CommandSubmitter submitter, OutcomeRenderer renderer) {
        this.guard = guard;
        this.jdbi = jdbi;
        this.submitter = submitter;
        this.renderer = renderer;
    }

    @GetMapping("/api/v1/commands/{commandId}")
    public ResponseEntity<byte[]> get(@PathVariable String commandId, HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.AUTOUSERS);
        Guard.autousersVersion(request);
        Optional<CommandRequest> accepted = jdbi.withHandle(h -> requests.find(h, principal.teamId(), commandId));
        Optional<CommandLogEntry> decided = jdbi.withHandle(h -> commandLog.find(h, commandId))
                .filter(entry -> entry.teamId().equals(principal.teamId()));
        if (accepted.isEmpty() && decided.isEmpty()) {
            throw notFound(commandId);
        }
        ResourceType type = ResourceType.valueOf(accepted.map(CommandRequest::resourceType).orElseGet(() -> decided.get().resourceType()));
        String family = type == ResourceType.EVALUATION ? "evaluations" : "automations";
        if (!principal.has(family + ":read") && !principal.has(family + ":write")) {
            throw notFound(commandId);
        }
        CommandResult result = decided.isPresent() ? submitter.storedResult(commandId).orElse(null) : null;
        byte[] body = CommandStatusJson.render(commandId,
                accepted.map(CommandRequest::method).orElse("PATCH"),
                accepted.map(CommandRequest::path).orElse(null),
                accepted.map(CommandRequest::requestId).orElseGet(() -> decided.get().requestId()),
                accepted.map(CommandRequest::createdAt).orElseGet(() -> decided.get().receivedAt()),
                result, renderer);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** OPTIONS is not served (no CORS): 405, as on the other {@code /api/v1} routes. */
    @RequestMapping(path = "/api/v1/commands/{commandId}", method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET"));
    }

    private static RuntimeException notFound(String commandId) {
        return ApiError.of(404, "not_found_error", "command_not_found", null, "No command found with id '" + commandId + "'.", null)
                .exception();
    }

}
