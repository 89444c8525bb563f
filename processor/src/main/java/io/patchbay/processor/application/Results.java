package io.patchbay.processor.application;

import java.time.Instant;
import java.util.List;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;

/**
 * Builds {@link CommandResult}s from a command's metadata, with the all-fields constructor: every field is given
 * (version and resource null when rejected, their schema defaults), so the builder's validation and its deep copies
 * of the defaults of unset fields would be work for nothing on every command.
 */
public final class Results {

    private Results() {
    }

    public static CommandResult decided(CommandMetadata metadata, String resourceId, CommandStatus status, Long version,
                                        Object resource, Instant now) {
        return new CommandResult(metadata.getCommandId(), metadata.getRequestId(), metadata.getResourceType(), resourceId,
                metadata.getTeamId(), status, version, resource, List.of(), now);
    }

    public static CommandResult rejected(CommandMetadata metadata, List<CommandError> errors, Instant now) {
        return new CommandResult(metadata.getCommandId(), metadata.getRequestId(), metadata.getResourceType(),
                metadata.getResourceId(), metadata.getTeamId(), CommandStatus.REJECTED, null, null, errors, now);
    }
}
