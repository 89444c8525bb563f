package io.patchbay.testing.data;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;

/** Commands as a producer writes them to Kafka: fresh command and request ids, received now, by an API key. */
public final class TestCommands {

    private TestCommands() {
    }

    /**
     * The metadata of a new command for {@code resourceId} of {@code teamId} sent with the API key {@code apiKeyId}: a
     * random command id and request id, received now (to the millisecond, as the Avro field keeps it).
     */
    public static CommandMetadata.Builder metadata(ResourceType type, String resourceId, String teamId, String apiKeyId) {
        return CommandMetadata.newBuilder()
                .setCommandId(UUID.randomUUID().toString()).setResourceType(type).setResourceId(resourceId)
                .setTeamId(teamId).setActor(new Actor(apiKeyId)).setReceivedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setRequestId(UUID.randomUUID().toString());
    }

    /** An update of evaluation {@code id} with {@code patch}. */
    public static EvaluationUpdateCommand evaluation(String id, String teamId, String apiKeyId, EvaluationPatch patch) {
        return new EvaluationUpdateCommand(metadata(ResourceType.EVALUATION, id, teamId, apiKeyId).build(), patch);
    }

    /** An update of the automation named by {@code idOrSlug} with {@code patch}. */
    public static AutomationUpdateCommand automation(String idOrSlug, String teamId, String apiKeyId, AutomationPatch patch) {
        return new AutomationUpdateCommand(metadata(ResourceType.AUTOMATION, idOrSlug, teamId, apiKeyId).build(), patch);
    }

    /** An update that renames evaluation {@code id}. */
    public static EvaluationUpdateCommand renameEvaluation(String id, String teamId, String apiKeyId, String name) {
        return evaluation(id, teamId, apiKeyId, EvaluationPatch.newBuilder().setName(name).build());
    }
}
