package io.patchbay.processor.application;

import java.time.Instant;
import java.util.List;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;

/** Builds {@link CommandResult}s from a command's metadata. */
public final class Results {

    private Results() {
    }

    public static CommandResult decided(CommandMetadata metadata, String resourceId, CommandStatus status, Long version,
                                        Object resource, Instant now) {
        return base(metadata, resourceId, now).setStatus(status).setVersion(version).setResource(resource).build();
    }

    public static CommandResult rejected(CommandMetadata metadata, List<CommandError> errors, Instant now) {
        return base(metadata, metadata.getResourceId(), now).setStatus(CommandStatus.REJECTED).setErrors(errors).build();
    }

    private static CommandResult.Builder base(CommandMetadata metadata, String resourceId, Instant now) {
        return CommandResult.newBuilder()
                .setCommandId(metadata.getCommandId())
                .setRequestId(metadata.getRequestId())
                .setResourceType(metadata.getResourceType())
                .setResourceId(resourceId)
                .setTeamId(metadata.getTeamId())
                .setErrors(List.of())
                .setCompletedAt(now);
    }
}
