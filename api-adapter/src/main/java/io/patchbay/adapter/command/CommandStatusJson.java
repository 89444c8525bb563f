package io.patchbay.adapter.command;

import java.time.Instant;

import io.patchbay.adapter.http.ApiTimestamps;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/** The command resource of {@code /api/v1/commands/{id}} (api-contract §5), also the body of a 202. */
public final class CommandStatusJson {

    private final ResourceApiResolver resources;

    public CommandStatusJson(ResourceApiResolver resources) {
        this.resources = resources;
    }

    /** @param result the outcome, or null while the command is pending */
    public byte[] render(String commandId, String method, String path, String requestId, Instant createdAt, CommandResult result) {
        ObjectNode json = JsonValues.MAPPER.createObjectNode();
        json.put("id", commandId);
        json.put("status", result == null ? "PENDING" : result.getStatus().name());
        json.put("method", method);
        json.put("path", path);
        json.put("requestId", requestId);
        json.put("createdAt", ApiTimestamps.autousers(createdAt));
        json.put("completedAt", result == null ? null : ApiTimestamps.autousers(result.getCompletedAt()));
        if (result == null) {
            json.putNull("outcome");
        } else {
            ResourceApi.Rendered rendered = resources.resolve(result.getResourceType()).renderOutcome(result);
            json.putObject("outcome").put("status", rendered.status()).set("body", JsonValues.MAPPER.readTree(rendered.body()));
        }
        return JsonValues.MAPPER.writeValueAsBytes(json);
    }
}
