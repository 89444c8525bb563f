package io.patchbay.adapter.command;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.ErrorRenderer;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.adapter.resource.ResourceApi;

/** Turns an {@link Answer} into the HTTP response of its API: outcome, 202 with Location, 409, or 503 + Retry-After. */
public final class AnswerResponder {

    private static final ApiError KEY_REUSED = ApiError.of(409, "invalid_request_error", "idempotency_key_reused",
            "Idempotency-Key", "Idempotency-Key was already used with a different request.",
            "Idempotency-Key was already used with a different request.");

    /**
     * The answer to a retry while its key's first request is still publishing the command (api-contract §2.5): a 5xx,
     * never stored, so the retry after {@code Retry-After} is answered as usual.
     */
    static final ApiError STILL_PUBLISHING = ApiError.of(503, "api_error", "idempotency_key_in_progress", "Idempotency-Key",
            "The first request with this Idempotency-Key is still being submitted. Retry with the same key.",
            "The first request with this Idempotency-Key is still being submitted. Retry with the same key.")
            .withHeader(HttpHeaders.RETRY_AFTER, "1");

    /**
     * The answer to a request with an Idempotency-Key whose command's publish failed (it may be on Kafka or not): the
     * same 5xx as {@link #STILL_PUBLISHING}, never stored; the retry with the key publishes the same command again.
     */
    static final ApiError UNCONFIRMED = ApiError.of(503, "api_error", "idempotency_key_in_progress", "Idempotency-Key",
            "The command of this Idempotency-Key could not be confirmed as submitted. Retry with the same key.",
            "The command of this Idempotency-Key could not be confirmed as submitted. Retry with the same key.")
            .withHeader(HttpHeaders.RETRY_AFTER, "1");

    private final CommandStatusJson statusJson;
    private final String publicBaseUrl;
    private final AdapterMetrics metrics;

    public AnswerResponder(CommandStatusJson statusJson, String publicBaseUrl, AdapterMetrics metrics) {
        this.statusJson = statusJson;
        this.publicBaseUrl = publicBaseUrl;
        this.metrics = metrics;
    }

    public ResponseEntity<byte[]> respond(Answer answer, Submission submission) {
        ResourceApi resource = submission.resource();
        if (answer instanceof Answer.Completed completed) {
            ResourceApi.Rendered rendered = resource.renderOutcome(completed.result());
            ResponseEntity.BodyBuilder response = ResponseEntity.status(rendered.status()).contentType(MediaType.APPLICATION_JSON);
            if (completed.replayed()) {
                metrics.replayed(resource.type());
                RequestIds.replayed(response, resource.api(), completed.result().getRequestId(), completed.apiVersion());
            }
            return response.body(rendered.body());
        }
        if (answer instanceof Answer.Accepted accepted) {
            metrics.accepted(resource.type(), submission.respondAsync());
            ResponseEntity.BodyBuilder response = ResponseEntity.status(202).contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.LOCATION, publicBaseUrl + "/api/v1/commands/" + accepted.commandId());
            if (submission.respondAsync()) {
                response.header("Preference-Applied", "respond-async");
            }
            if (accepted.replayed()) {
                metrics.replayed(resource.type());
                // Still the original request's command: its id and request id, as for a completed replay (§1.2).
                RequestIds.replayed(response, null, accepted.requestId(), null);
            }
            return response.body(statusJson.render(accepted.commandId(), submission.method(), submission.path(),
                    accepted.requestId(), accepted.createdAt(), null));
        }
        if (answer instanceof Answer.StillPublishing || answer instanceof Answer.Unconfirmed) {
            ApiError error = answer instanceof Answer.Unconfirmed ? UNCONFIRMED : STILL_PUBLISHING;
            ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
            error.headers().forEach(response::header);
            return response.body(ErrorRenderer.render(resource.api(), error, submission.requestId()));
        }
        metrics.keyReused(resource.type());
        return ResponseEntity.status(409).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorRenderer.render(resource.api(), KEY_REUSED, submission.requestId()));
    }
}
