package io.patchbay.adapter.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.command.CommandStatuses;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.Guard;

/** {@code GET /api/v1/commands/{commandId}}: where a 202 points; PENDING until the processor decides. */
@RestController
public class CommandController {

    private static final String ROUTE = "/api/v1/commands/{commandId}";

    private final Guard guard;
    private final CommandStatuses statuses;

    public CommandController(Guard guard, CommandStatuses statuses) {
        this.guard = guard;
        this.statuses = statuses;
    }

    @GetMapping(ROUTE)
    public ResponseEntity<byte[]> get(@PathVariable String commandId, HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.AUTOUSERS);
        Guard.apiVersion(request, Api.AUTOUSERS);
        byte[] body = statuses.find(principal, commandId).orElseThrow(() -> ApiError.of(404, "not_found_error",
                "command_not_found", null, "No command found with id '" + commandId + "'.", null).exception());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** OPTIONS is not served (no CORS): 405, as on the other {@code /api/v1} routes. */
    @RequestMapping(path = ROUTE, method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET"));
    }
}
