package io.patchbay.adapter.commands;

import java.time.Instant;

import io.patchbay.adapter.command.OutcomeRenderer;
import io.patchbay.adapter.evaluations.EvaluationJson;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/** The command resource of {@code /api/v1/commands/{id}} (api-contract §5). */
public final class CommandStatusJson {

    private CommandStatusJson() {
    }

    public static byte[] render(String commandId, String method, String path, String requestId, Instant createdAt,
                                CommandResult result, OutcomeRenderer renderer) {
        ObjectNode json = JsonValues.MAPPER.createObjectNode();
        json.put("id", commandId);
        json.put("status", result == null ? "PENDING" : result.getStatus().name());
        json.put("method", method);
        json.put("path", path);
        json.put("requestId", requestId);
        json.put("createdAt", EvaluationJson.timestamp(createdAt));
        json.put("completedAt", result == null ? null : EvaluationJson.timestamp(result.getCompletedAt()));
        if (result == null) {
            json.putNull("outcome");
        } else {
            OutcomeRenderer.Rendered rendered = renderer.render(result);
            json.putObject("outcome").put("status", rendered.status()).set("body", JsonValues.MAPPER.readTree(rendered.body()));
        }
        return JsonValues.MAPPER.writeValueAsBytes(json);
    }
}
