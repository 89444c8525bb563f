package io.patchbay.processor.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

import io.patchbay.processor.application.BatchContext;
import io.patchbay.processor.application.CommandHandler;
import io.patchbay.processor.application.DecodedCommand;
import io.patchbay.processor.application.Outcome;
import io.patchbay.processor.application.Results;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.Decision;
import io.patchbay.schemas.rules.Patches;
import io.patchbay.schemas.rules.Role;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;

/** Applies {@link AutomationUpdateCommand}s: id-then-slug lookup in the team, {@link AutomationRules}, row update, event. */
public final class AutomationCommandHandler implements CommandHandler {

    private final AutomationRepository automations = new AutomationRepository();
    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    @Override
    public ResourceType type() {
        return ResourceType.AUTOMATION;
    }

    @Override
    public Outcome handle(Handle handle, DecodedCommand decoded, Role role, BatchContext batch, Instant now) {
        AutomationUpdateCommand command = (AutomationUpdateCommand) decoded.command();
        CommandMetadata metadata = command.getMetadata();
        if (!role.atLeast(Role.EDITOR)) {
            return new Outcome(Results.rejected(metadata, List.of(Decision.error(ErrorKind.FORBIDDEN, null, null,
                    "You do not have permission to perform this action.")), now), null);
        }
        // Request-level rules first, as the adapter checks them before anything reaches Kafka (§4.7): a command
        // written straight to Kafka gets the same answer, and no invalid value ever reaches a query.
        List<CommandError> fieldErrors = AutomationRules.checkFields(command.getPatch());
        if (!fieldErrors.isEmpty()) {
            return new Outcome(Results.rejected(metadata, fieldErrors, now), null);
        }
        Optional<String> resolved = automations.resolveId(handle, metadata.getTeamId(), metadata.getResourceId());
        Optional<AutomationState> stored = resolved.flatMap(id ->
                batch.<AutomationState>resource("automation:" + id, () -> automations.lock(handle, id)));
        if (stored.isEmpty()) {
            return new Outcome(Results.rejected(metadata, List.of(Decision.error(ErrorKind.NOT_FOUND, "automation_not_found",
                    null, "Automation not found")), now), null);
        }
        AutomationState current = stored.get();
        Map<String, EvaluatorRef> found = Patches.isSet(command.getPatch().getEvaluatorIds())
                ? evaluators.findInOrder(handle, metadata.getTeamId(), AutomationRules.distinctEvaluatorIds(command.getPatch()))
                        .stream().collect(Collectors.toMap(EvaluatorRef::getId, Function.identity()))
                : Map.of();
        Decision<AutomationState> decision = AutomationRules.decide(current, command.getPatch(), found, now);
        String id = current.getId();
        if (decision.status() == CommandStatus.REJECTED) {
            return new Outcome(Results.rejected(metadata, decision.errors(), now), null);
        }
        if (decision.status() == CommandStatus.UNCHANGED) {
            return new Outcome(Results.decided(metadata, id, CommandStatus.UNCHANGED, current.getVersion(), current, now), null);
        }
        AutomationState next = decision.after();
        automations.update(handle, next);
        batch.update("automation:" + id, next);
        AutomationChanged event = AutomationChanged.newBuilder()
                .setEventId(Ids.uuidV7())
                .setCommandId(metadata.getCommandId())
                .setResourceId(id)
                .setTeamId(metadata.getTeamId())
                .setVersion(next.getVersion())
                .setChangedFields(decision.changedFields())
                .setBefore(current)
                .setAfter(next)
                .setActor(metadata.getActor())
                .setOccurredAt(now)
                .setRequestId(metadata.getRequestId())
                .setTraceparent(metadata.getTraceparent())
                .build();
        return new Outcome(Results.decided(metadata, id, CommandStatus.APPLIED, next.getVersion(), next, now), event);
    }
}
