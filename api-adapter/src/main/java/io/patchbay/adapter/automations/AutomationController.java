package io.patchbay.adapter.automations;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.jdbi.v3.core.Jdbi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.HttpRequestMethodNotSupportedException;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.command.Answer;
import io.patchbay.adapter.command.AnswerResponder;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.Submission;
import io.patchbay.adapter.evaluations.EvaluationController;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.automation.AutomationRepository;
import tools.jackson.databind.node.ObjectNode;

/** Respan {@code GET} and {@code PATCH /api/automations/{automation_id}/}, with or without the slash (§4.7). */
@RestController
public class AutomationController {

    private static final String FORBIDDEN = "You do not have permission to perform this action.";

    private final Guard guard;
    private final JsonBodies bodies;
    private final AutomationPatchParser parser = new AutomationPatchParser();
    private final Fingerprints fingerprints;
    private final CommandSubmitter submitter;
    private final AnswerResponder responder;
    private final Jdbi jdbi;
    private final Clock clock;
    private final AutomationRepository automations = new AutomationRepository();

    public AutomationController(Guard guard, JsonBodies bodies, Fingerprints fingerprints, CommandSubmitter submitter,
                                AnswerResponder responder, Jdbi jdbi, Clock clock) {
        this.guard = guard;
        this.bodies = bodies;
        this.fingerprints = fingerprints;
        this.submitter = submitter;
        this.responder = responder;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @GetMapping({"/api/automations/{automationId}", "/api/automations/{automationId}/"})
    public ResponseEntity<byte[]> get(@PathVariable String automationId, HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.RESPAN);
        Guard.requireScope(principal, Scopes.AUTOMATIONS_READ, Api.RESPAN);
        return jdbi.withHandle(h -> automations.findByIdOrSlug(h, principal.teamId(), automationId))
                .map(state -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(JsonValues.MAPPER.writeValueAsBytes(AutomationJson.render(state))))
                .orElseThrow(() -> ApiError.of(404, null, null, null, "Automation not found", "Automation not found").exception());
    }

    /**
     * OPTIONS is one of the "other methods" of §4.6 (405 with {@code Allow: GET, PATCH}), not the framework's
     * automatic 200; CORS is not served.
     */
    @RequestMapping(path = {"/api/automations/{automationId}", "/api/automations/{automationId}/"}, method = RequestMethod.OPTIONS)
    public ResponseEntity<byte[]> options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET", "PATCH"));
    }

    @PatchMapping({"/api/automations/{automationId}", "/api/automations/{automationId}/"})
    public ResponseEntity<byte[]> patch(@PathVariable String automationId, HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.RESPAN);
        Guard.requireScope(principal, Scopes.AUTOMATIONS_WRITE, Api.RESPAN);
        if (!principal.role().atLeast(Role.EDITOR)) {
            throw ApiError.of(403, "authorization_error", null, null, FORBIDDEN, FORBIDDEN).exception();
        }
        String key = Guard.idempotencyKey(request, Api.RESPAN);
        ObjectNode body = bodies.readObject(request, Api.RESPAN);
        String path = Fingerprints.normalizePath(request.getRequestURI());
        Submission submission = new Submission(principal, ResourceType.AUTOMATION, "PATCH", path, RequestIds.of(request),
                null, key, key == null ? null : fingerprints.of("PATCH", path, body), EvaluationController.respondAsync(request));
        Answer earlier = submitter.answerFromEarlierRequest(submission).orElse(null);
        if (earlier != null) {
            return responder.respond(earlier, Api.RESPAN, submission);
        }
        AutomationPatch patch = parser.parse(body);
        String resourceKey = jdbi.withHandle(h -> automations.resolveId(h, principal.teamId(), automationId)).orElse(automationId);
        String commandId = Ids.uuidV7();
        Answer answer = submitter.submit(submission, commandId, resourceKey, () -> new AutomationUpdateCommand(
                EvaluationController.metadata(commandId, ResourceType.AUTOMATION, resourceKey, submission, clock), patch));
        return responder.respond(answer, Api.RESPAN, submission);
    }
}
