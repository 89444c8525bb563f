package io.patchbay.processor.domain;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.Schema;
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
import io.patchbay.store.jdbi.ReadRound;

/**
 * Applies {@link AutomationUpdateCommand}s: id-then-slug lookup in the team, {@link AutomationRules}, change event; the
 * rows and evaluators of a batch are read in two queries before its first command, and its changes written in order,
 * in one JDBC batch, after its last.
 */
public final class AutomationCommandHandler implements CommandHandler {

    private final AutomationRepository automations = new AutomationRepository();
    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    @Override
    public ResourceType type() {
        return ResourceType.AUTOMATION;
    }

    @Override
    public Schema changeEventSchema() {
        return AutomationChanged.getClassSchema();
    }

    private static final String KEY_PREFIX = "automation:";

    /**
     * Locks every automation the batch names (by id or by slug, within the command's team) in one query, and reads
     * their evaluators and those the patches ask for in another; what names nothing is remembered as absent.
     */
    @Override
    public Runnable prefetch(ReadRound reads, List<DecodedCommand> commands, BatchContext batch) {
        Set<AutomationRepository.Reference> references = new LinkedHashSet<>();
        Set<String> requestedEvaluators = new LinkedHashSet<>();
        for (DecodedCommand decoded : commands) {
            CommandMetadata metadata = decoded.metadata();
            references.add(new AutomationRepository.Reference(metadata.getTeamId(), metadata.getResourceId()));
            AutomationUpdateCommand command = (AutomationUpdateCommand) decoded.command();
            if (Patches.isSet(command.getPatch().getEvaluatorIds()) && AutomationRules.checkFields(command.getPatch()).isEmpty()) {
                requestedEvaluators.addAll(AutomationRules.distinctEvaluatorIds(command.getPatch()));
            }
        }
        AutomationRepository.PendingLock pending = automations.lockAll(reads, references, requestedEvaluators);
        return () -> {
            AutomationRepository.Locked locked = pending.get();
            Function<AutomationRepository.Reference, Optional<AutomationState>> resolve =
                    AutomationRepository.resolver(locked.rows());
            for (AutomationRepository.Reference reference : references) {
                Optional<AutomationState> row = resolve.apply(reference);
                batch.preload(referenceKey(reference.teamId(), reference.idOrSlug()), row.map(AutomationState::getId));
                row.ifPresent(state -> batch.preload(KEY_PREFIX + state.getId(), Optional.of(state)));
            }
            for (String id : requestedEvaluators) {
                batch.preload(evaluatorKey(id), Optional.ofNullable(locked.evaluators().get(id)));
            }
        };
    }

    /** The id a reference by slug resolved to in {@link #prefetch}; null for a reference by id or one not found. */
    @Override
    public String prefetchedId(DecodedCommand command, BatchContext batch) {
        CommandMetadata metadata = command.metadata();
        Optional<String> id = batch.known(referenceKey(metadata.getTeamId(), metadata.getResourceId()));
        return id == null || id.isEmpty() || id.get().equals(metadata.getResourceId()) ? null : id.get();
    }

    @Override
    public void flush(Handle handle, BatchContext batch) {
        automations.updateAll(handle, batch.changed(AutomationState.class));
    }

    private static String referenceKey(String teamId, String idOrSlug) {
        return "automation-reference:" + teamId + ":" + idOrSlug;
    }

    private static String evaluatorKey(String id) {
        return "evaluator:" + id;
    }

    @Override
    public Outcome handle(Handle handle, DecodedCommand decoded, Role role, BatchContext batch, Instant now) {
        AutomationUpdateCommand command = (AutomationUpdateCommand) decoded.command();
        CommandMetadata metadata = command.getMetadata();
        Optional<CommandError> roleError = AutomationRules.checkRole(role);
        if (roleError.isPresent()) {
            return new Outcome(Results.rejected(metadata, List.of(roleError.get()), now), null);
        }
        // Request-level rules first, as the adapter checks them before anything reaches Kafka (§4.7): a command
        // written straight to Kafka gets the same answer, and no invalid value ever reaches a query.
        List<CommandError> fieldErrors = AutomationRules.checkFields(command.getPatch());
        if (!fieldErrors.isEmpty()) {
            return new Outcome(Results.rejected(metadata, fieldErrors, now), null);
        }
        Optional<String> resolved = batch.resource(referenceKey(metadata.getTeamId(), metadata.getResourceId()),
                () -> automations.resolveId(handle, metadata.getTeamId(), metadata.getResourceId()));
        Optional<AutomationState> stored = resolved.flatMap(id ->
                batch.<AutomationState>resource(KEY_PREFIX + id, () -> automations.lock(handle, id)));
        if (stored.isEmpty()) {
            return new Outcome(Results.rejected(metadata, List.of(Decision.error(ErrorKind.NOT_FOUND, "automation_not_found",
                    null, "Automation not found")), now), null);
        }
        AutomationState current = stored.get();
        Map<String, EvaluatorRef> found = Patches.isSet(command.getPatch().getEvaluatorIds())
                ? teamEvaluators(handle, batch, metadata.getTeamId(), AutomationRules.distinctEvaluatorIds(command.getPatch()))
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
        batch.update(KEY_PREFIX + id, next);
        // the all-fields constructor, not the builder: the builder's build() deep-copies the schema default of each
        // field left unset (the two chain hashes); they stay empty here, as that default, until EventChains seals them
        AutomationChanged event = new AutomationChanged(Ids.uuidV7(), metadata.getCommandId(), id, metadata.getTeamId(),
                next.getVersion(), decision.changedFields(), current, next, metadata.getActor(), now,
                metadata.getRequestId(), metadata.getTraceparent(), ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        return new Outcome(Results.decided(metadata, id, CommandStatus.APPLIED, next.getVersion(), next, now), event);
    }

    /** The evaluators of {@code teamId} among {@code ids}, by id: prefetched ones from the batch, others from the database. */
    private Map<String, EvaluatorRef> teamEvaluators(Handle handle, BatchContext batch, String teamId, List<String> ids) {
        Map<String, EvaluatorRef> found = new HashMap<>();
        for (String id : ids) {
            Optional<EvaluatorRepository.TeamEvaluator> evaluator = batch.resource(evaluatorKey(id),
                    () -> Optional.ofNullable(evaluators.findAll(handle, List.of(id)).get(id)));
            evaluator.filter(e -> e.teamId().equals(teamId)).ifPresent(e -> found.put(id, e.evaluator()));
        }
        return found;
    }
}
