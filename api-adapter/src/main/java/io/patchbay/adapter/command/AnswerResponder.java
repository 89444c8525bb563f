package io.patchbay.adapter.command;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.patchbay.adapter.commands.CommandStatusJson;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.ErrorRenderer;
import io.patchbay.adapter.http.RequestIds;

/** Turns an {@link Answer} into the HTTP response of its API: outcome, 202 with Location, or 409. */
public final class AnswerResponder {

    private final OutcomeRenderer renderer;
    private final String publicBaseUrl;

    public AnswerResponder(OutcomeRenderer renderer, String publicBaseUrl) {
        this.renderer = renderer;
        this.publicBaseUrl = publicBaseUrl;
    }

    public ResponseEntity<byte[]> respond(Answer answer, Api api, Submission submission) {
        if (answer instanceof Answer.Completed completed) {
            OutcomeRenderer.Rendered rendered = renderer.render(completed.result());
            ResponseEntity.BodyBuilder response = ResponseEntity.status(rendered.status()).contentType(MediaType.APPLICATION_JSON);
            if (completed.replayed()) {
                response.header(RequestIds.HEADER, completed.result().getRequestId()).header("Idempotent-Replayed", "true");
                if (api == Api.AUTOUSERS && completed.apiVersion() != null) {
                    response.header("Autousers-Version", completed.apiVersion());
                }
            }
            return response.body(rendered.body());
        }
        if (answer instanceof Answer.Accepted accepted) {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(202).contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.LOCATION, publicBaseUrl + "/api/v1/commands/" + accepted.commandId());
            if (submission.respondAsync()) {
                response.header("Preference-Applied", "respond-async");
            }
            if (accepted.replayed()) {
                // Still the original request's command: its id and request id, as for a completed replay (§1.2).
                response.header(RequestIds.HEADER, accepted.requestId()).header("Idempotent-Replayed", "true");
            }
            return response.body(CommandStatusJson.render(accepted.commandId(), submission.method(), submission.path(),
                    accepted.requestId(), accepted.createdAt(), null, renderer));
        }
        ApiError conflict = ApiError.of(409, "invalid_request_error", "idempotency_key_reused", "Idempotency-Key",
                "Idempotency-Key was already used with a different request.",
                "Idempotency-Key was already used with a different request.");
        return ResponseEntity.status(409).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorRenderer.render(api, conflict, submission.requestId()));
    }
}
