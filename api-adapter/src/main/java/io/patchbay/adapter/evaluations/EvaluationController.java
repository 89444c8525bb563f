package io.patchbay.adapter.evaluations;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.jdbi.v3.core.Jdbi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.command.AnswerResponder;
import io.patchbay.adapter.command.Answer;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.Submission;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.store.evaluation.EvaluationRepository;
import tools.jackson.databind.node.ObjectNode;

/** Autousers {@code GET} and {@code PATCH /api/v1/evaluations/{id}}, checks in the order of api-contract §3.8. */
@RestController
public class EvaluationController {

    private final Guard guard;
    private final JsonBodies bodies;
    private final EvaluationPatchParser parser;
    private final Fingerprints fingerprints;
    private final CommandSubmitter submitter;
    private final AnswerResponder responder;
    private final EvaluationJson json;
    private final Jdbi jdbi;
    private final Clock clock;
    private final EvaluationRepository evaluations = new EvaluationRepository();

    public EvaluationController(Guard guard, JsonBodies bodies, Fingerprints fingerprints, CommandSubmitter submitter,
                                AnswerResponder responder, EvaluationJson json, Jdbi jdbi, Clock clock) {
        this.guard = guard;
        this.bodies = bodies;
        this.parser = new EvaluationPatchParser();
        this.fingerprints = fingerprints;
        this.submitter = submitter;
        this.responder = responder;
        this.json = json;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @GetMapping("/api/v1/evaluations/{id}")
    public ResponseEntity<byte[]> get(@PathVariable String id, HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.AUTOUSERS);
        Guard.requireScope(principal, Scopes.EVALUATIONS_READ, Api.AUTOUSERS);
        Guard.autousersVersion(request);
        return jdbi.withHandle(h -> evaluations.find(h, principal.teamId(), id))
                .map(stored -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(JsonValues.MAPPER.writeValueAsBytes(json.render(stored.state()))))
                .orElseThrow(() -> notFound(id).exception());
    }

    /**
     * OPTIONS is not part of the API (CORS is not served, api-contract §1.3): a 405 like any other method,
     * instead of Spring's automatic 200 that advertises HEAD and OPTIONS.
     */
    @RequestMapping(path = "/api/v1/evaluations/{id}", method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET", "PATCH"));
    }

    @PatchMapping("/api/v1/evaluations/{id}")
    public ResponseEntity<byte[]> patch(@PathVariable String id, HttpServletRequest request) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Principal principal = guard.authenticate(request, Api.AUTOUSERS);
        Guard.requireScope(principal, Scopes.EVALUATIONS_WRITE, Api.AUTOUSERS);
        String version = Guard.autousersVersion(request);
        String key = Guard.idempotencyKey(request, Api.AUTOUSERS);
        ObjectNode body = bodies.readObject(request, Api.AUTOUSERS);
        EvaluationRules.checkRole(principal.role(), List.copyOf(body.propertyNames())).ifPresent(error -> {
            throw ApiError.of(403, "authorization_error", null, error.getField(), error.getMessage(), null).exception();
        });
        String path = Fingerprints.normalizePath(request.getRequestURI());
        Submission submission = new Submission(principal, ResourceType.EVALUATION, "PATCH", path, RequestIds.of(request),
                version, key, key == null ? null : fingerprints.of("PATCH", path, body), respondAsync(request));
        Answer earlier = submitter.answerFromEarlierRequest(submission).orElse(null);
        if (earlier != null) {
            return responder.respond(earlier, Api.AUTOUSERS, submission);
        }
        EvaluationPatchParser.Parsed parsed = parser.parse(body, id, principal.teamId(), receivedAt);
        String commandId = Ids.uuidV7();
        Answer answer = submitter.submit(submission, commandId, id, () -> command(commandId, id, submission, parsed, receivedAt));
        return responder.respond(answer, Api.AUTOUSERS, submission);
    }

    /** The command; {@code receivedAt} is the instant the request was validated at (the processor re-checks against it). */
    private static EvaluationUpdateCommand command(String commandId, String id, Submission submission,
                                                   EvaluationPatchParser.Parsed parsed, Instant receivedAt) {
        EvaluationPatch patch = parsed.patch();
        if (parsed.plainPassword() != null) {
            patch.setSharePasswordHash(SecretHasher.hash(parsed.plainPassword(), SecretHasher.PASSWORD_ITERATIONS));
        }
        return new EvaluationUpdateCommand(metadata(commandId, ResourceType.EVALUATION, id, submission,
                Clock.fixed(receivedAt, ZoneOffset.UTC)), patch);
    }

    public static CommandMetadata metadata(String commandId, ResourceType type, String resourceId, Submission submission, Clock clock) {
        return CommandMetadata.newBuilder()
                .setCommandId(commandId)
                .setResourceType(type)
                .setResourceId(resourceId)
                .setTeamId(submission.principal().teamId())
                .setActor(new Actor(submission.principal().keyId()))
                .setIdempotencyKey(submission.idempotencyKey())
                .setRequestFingerprint(submission.fingerprint() == null ? null : java.nio.ByteBuffer.wrap(submission.fingerprint()))
                .setReceivedAt(clock.instant())
                .setRequestId(submission.requestId())
                .build();
    }

    public static boolean respondAsync(HttpServletRequest request) {
        String prefer = request.getHeader("Prefer");
        return prefer != null && java.util.Arrays.stream(prefer.split("[,;]")).map(String::trim)
                .anyMatch("respond-async"::equalsIgnoreCase);
    }

    private static ApiError notFound(String id) {
        return ApiError.of(404, "not_found_error", "evaluation_not_found", null, "No evaluation found with id '" + id + "'.", null);
    }
}
