package io.patchbay.adapter.web;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.command.AnswerResponder;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.Submission;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.http.Responses;
import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource routes of both APIs: {@code GET} and {@code PATCH /api/v1/evaluations/{id}} (Autousers) and
 * {@code /api/automations/{id}[/]} (Respan). Each request runs the same path, in the check order of
 * api-contract §3.8 and §4.7; what differs between the resource types is their {@link ResourceApi}.
 */
@RestController
public class ResourceController {

    private static final String EVALUATION = "/api/v1/evaluations/{id}";
    private static final String AUTOMATION = "/api/automations/{id}";
    private static final String AUTOMATION_SLASH = "/api/automations/{id}/";

    private final ResourceApiResolver resources;
    private final Guard guard;
    private final JsonBodies bodies;
    private final Fingerprints fingerprints;
    private final CommandSubmitter submitter;
    private final AnswerResponder responder;
    private final InlineAnswers inlineAnswers;
    private final DeferredAnswers deferredAnswers;
    private final PatchAdmission admission;
    private final Clock clock;

    public ResourceController(ResourceApiResolver resources, Guard guard, JsonBodies bodies, Fingerprints fingerprints,
                              CommandSubmitter submitter, AnswerResponder responder, InlineAnswers inlineAnswers,
                              DeferredAnswers deferredAnswers, PatchAdmission admission, Clock clock) {
        this.resources = resources;
        this.guard = guard;
        this.bodies = bodies;
        this.fingerprints = fingerprints;
        this.submitter = submitter;
        this.responder = responder;
        this.inlineAnswers = inlineAnswers;
        this.deferredAnswers = deferredAnswers;
        this.admission = admission;
        this.clock = clock;
    }

    @GetMapping(EVALUATION)
    public ResponseEntity<byte[]> getEvaluation(HttpServletRequest request, HttpServletResponse response) {
        return get(ResourceType.EVALUATION, pathId(request), request, response);
    }

    @PatchMapping(EVALUATION)
    public void patchEvaluation(HttpServletRequest request, HttpServletResponse response) throws Exception {
        patch(ResourceType.EVALUATION, pathId(request), request, response);
    }

    @GetMapping({AUTOMATION, AUTOMATION_SLASH})
    public ResponseEntity<byte[]> getAutomation(HttpServletRequest request, HttpServletResponse response) {
        return get(ResourceType.AUTOMATION, pathId(request), request, response);
    }

    @PatchMapping({AUTOMATION, AUTOMATION_SLASH})
    public void patchAutomation(HttpServletRequest request, HttpServletResponse response) throws Exception {
        patch(ResourceType.AUTOMATION, pathId(request), request, response);
    }

    /**
     * The route's {@code {id}}, from the decoded URI template variables that the handler mapping stored on the request:
     * the value {@code @PathVariable} reads, without the data binder it created and the String-to-String conversion it
     * ran on every request (1.8% of the adapter's profile at 100 and 500 requests/s).
     */
    private static String pathId(HttpServletRequest request) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables.get("id");
    }

    /**
     * OPTIONS is not part of either API (CORS is not served, api-contract §1.3): a 405 like any other method,
     * instead of the framework's automatic 200 that advertises HEAD and OPTIONS.
     */
    @RequestMapping(path = {EVALUATION, AUTOMATION, AUTOMATION_SLASH}, method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET", "PATCH"));
    }

    private ResponseEntity<byte[]> get(ResourceType type, String id, HttpServletRequest request, HttpServletResponse response) {
        ResourceApi resource = resources.resolve(type);
        Principal principal = guard.authenticate(request, resource.api());
        Guard.requireScope(principal, resource.readScope(), resource.api());
        guard.rateLimit(principal, response);
        Guard.apiVersion(request, resource.api());
        byte[] body = resource.read(principal.teamId(), id).orElseThrow(() -> resource.notFound(id).exception());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /**
     * The request-level checks run on the servlet thread. The answer (api-contract §1.4: the command's outcome, or 202
     * once the wait budget runs out) is given on that thread when it is ready at once, or for {@code Prefer:
     * respond-async} within {@link InlineAnswers}' short bound, and otherwise written by its completion
     * ({@link DeferredAnswers}), so that a waiting request holds no thread. Either way the answer is written to the
     * response directly ({@link Responses}), not returned for Spring MVC's return value handling (its content
     * negotiation and header copying for a body that is always JSON took 9% of the request threads' samples in the
     * profile, BENCHMARKS.md); a refusal is thrown to {@code ApiExceptionHandler} as before. From the rate limit until
     * its response is complete, the request holds one of {@link PatchAdmission}'s permits: over the bound it is refused
     * 503 before its body is read.
     */
    private void patch(ResourceType type, String id, HttpServletRequest request, HttpServletResponse response)
            throws Exception {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ResourceApi resource = resources.resolve(type);
        Principal principal = guard.authenticate(request, resource.api());
        Guard.requireScope(principal, resource.writeScope(), resource.api());
        resource.checkCaller(principal);
        guard.rateLimit(principal, response);
        PatchAdmission.Permit permit = admission.admit();
        try {
            String version = Guard.apiVersion(request, resource.api());
            String key = Guard.idempotencyKey(request, resource.api());
            ObjectNode body = bodies.readObject(request, resource.api());
            resource.checkMembers(principal, body);
            String path = Fingerprints.normalizePath(request.getRequestURI());
            Submission submission = new Submission(principal, resource, id, "PATCH", path, RequestIds.of(request), version,
                    key, key == null ? null : fingerprints.of("PATCH", path, body), respondAsync(request), receivedAt);
            ResponseEntity<byte[]> ready = inlineAnswers.answer(submitter.submit(submission, body),
                    submission.respondAsync(), answer -> responder.respond(answer, submission),
                    later -> deferredAnswers.answerLater(later, request, response, permit::release));
            if (ready != null) {
                Responses.write(ready, response);
            }
        } finally {
            if (!request.isAsyncStarted()) {
                permit.release();
            }
        }
    }

    /**
     * {@code Prefer: respond-async} (RFC 7240); other preferences are ignored. Scans the header's {@code ,}- and
     * {@code ;}-separated tokens in place (a regex split compiled a pattern per request).
     */
    private static boolean respondAsync(HttpServletRequest request) {
        String prefer = request.getHeader("Prefer");
        if (prefer == null) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= prefer.length(); i++) {
            if (i == prefer.length() || prefer.charAt(i) == ',' || prefer.charAt(i) == ';') {
                if (prefer.substring(start, i).trim().equalsIgnoreCase("respond-async")) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
