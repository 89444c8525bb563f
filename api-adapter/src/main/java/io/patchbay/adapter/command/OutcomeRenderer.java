package io.patchbay.adapter.command;

import io.patchbay.adapter.automations.AutomationJson;
import io.patchbay.adapter.evaluations.EvaluationJson;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.ErrorRenderer;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;

/**
 * Renders a {@link CommandResult} as the HTTP answer its API gives: the resource for APPLIED and UNCHANGED,
 * the API's error body for REJECTED. Deterministic, so a replay is byte-identical to the first answer.
 */
public final class OutcomeRenderer {

    /** Status and body of an outcome. */
    public record Rendered(int status, byte[] body) {
    }

    private final EvaluationJson evaluationJson;

    public OutcomeRenderer(EvaluationJson evaluationJson) {
        this.evaluationJson = evaluationJson;
    }

    public Rendered render(CommandResult result) {
        boolean evaluation = result.getResourceType() == ResourceType.EVALUATION;
        if (result.getStatus() != CommandStatus.REJECTED) {
            Object body = evaluation
                    ? evaluationJson.render((EvaluationState) result.getResource())
                    : AutomationJson.render((AutomationState) result.getResource());
            return new Rendered(200, JsonValues.MAPPER.writeValueAsBytes(body));
        }
        CommandError first = result.getErrors().get(0);
        int status = ErrorRenderer.status(first.getKind());
        if (evaluation) {
            return new Rendered(status, ErrorRenderer.autousers(ErrorRenderer.autousersType(first.getKind()), first,
                    result.getRequestId()));
        }
        if (first.getKind() != ErrorKind.INVALID) {
            return new Rendered(status, ErrorRenderer.respan(new ApiError(status, null, result.getErrors(),
                    first.getKind() == ErrorKind.NOT_FOUND ? "Automation not found" : "You do not have permission to perform this action.", java.util.Map.of())));
        }
        return new Rendered(status, ErrorRenderer.respanFields(result.getErrors()));
    }
}
