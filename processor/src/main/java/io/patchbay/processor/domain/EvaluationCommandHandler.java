package io.patchbay.processor.domain;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.Schema;
import org.jdbi.v3.core.Handle;

import io.patchbay.processor.application.BatchContext;
import io.patchbay.processor.application.CommandHandler;
import io.patchbay.processor.application.DecodedCommand;
import io.patchbay.processor.application.Outcome;
import io.patchbay.processor.application.Results;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.rules.Decision;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.schemas.rules.Role;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Applies {@link EvaluationUpdateCommand}s: team check, {@link EvaluationRules}, change event; the rows of a batch
 * are locked in one query before its first command, and its changes written in order, in one JDBC batch, after its last.
 */
public final class EvaluationCommandHandler implements CommandHandler {

    private final EvaluationRepository evaluations = new EvaluationRepository();

    @Override
    public ResourceType type() {
        return ResourceType.EVALUATION;
    }

    @Override
    public Schema changeEventSchema() {
        return EvaluationChanged.getClassSchema();
    }

    /** Locks every evaluation the batch names, in one query; unknown ids are remembered as absent. */
    @Override
    public Runnable prefetch(ReadRound reads, List<DecodedCommand> commands, BatchContext batch) {
        Set<String> ids = new LinkedHashSet<>();
        commands.forEach(command -> ids.add(command.metadata().getResourceId()));
        ReadRound.Rows<StoredEvaluation> locked = evaluations.lockAll(reads, ids);
        return () -> {
            Map<String, StoredEvaluation> rows = new HashMap<>();
            if (locked != null) {
                locked.list().forEach(row -> rows.put(row.state().getId(), row));
            }
            ids.forEach(id -> batch.preload(key(id), Optional.ofNullable(rows.get(id))));
        };
    }

    @Override
    public void flush(Handle handle, BatchContext batch) {
        evaluations.updateAll(handle, batch.changed(StoredEvaluation.class));
    }

    private static final String KEY_PREFIX = "evaluation:";

    private static String key(String id) {
        return KEY_PREFIX + id;
    }

    @Override
    public Outcome handle(Handle handle, DecodedCommand decoded, Role role, BatchContext batch, Instant now) {
        EvaluationUpdateCommand command = (EvaluationUpdateCommand) decoded.command();
        CommandMetadata metadata = command.getMetadata();
        String id = metadata.getResourceId();
        Optional<StoredEvaluation> stored = batch.<StoredEvaluation>resource(key(id), () -> evaluations.lock(handle, id))
                .filter(evaluation -> evaluation.state().getTeamId().equals(metadata.getTeamId()));
        if (stored.isEmpty()) {
            return new Outcome(Results.rejected(metadata, List.of(Decision.error(ErrorKind.NOT_FOUND, "evaluation_not_found",
                    null, "No evaluation found with id '" + id + "'.")), now), null);
        }
        StoredEvaluation current = stored.get();
        Decision<EvaluationRules.Next> decision = EvaluationRules.decide(current.state(), current.sharePasswordHash(),
                command.getPatch(), role, metadata.getReceivedAt(), now);
        if (decision.status() == CommandStatus.REJECTED) {
            return new Outcome(Results.rejected(metadata, decision.errors(), now), null);
        }
        if (decision.status() == CommandStatus.UNCHANGED) {
            return new Outcome(Results.decided(metadata, id, CommandStatus.UNCHANGED, current.state().getVersion(),
                    current.state(), now), null);
        }
        StoredEvaluation next = new StoredEvaluation(decision.after().state(), decision.after().sharePasswordHash());
        batch.update(key(id), next);
        // the all-fields constructor, not the builder: the builder's build() deep-copies the schema default of each
        // field left unset (the two chain hashes); they stay empty here, as that default, until EventChains seals them
        EvaluationChanged event = new EvaluationChanged(Ids.uuidV7(), metadata.getCommandId(), id, metadata.getTeamId(),
                next.state().getVersion(), decision.changedFields(), current.state(), next.state(), metadata.getActor(),
                now, metadata.getRequestId(), metadata.getTraceparent(), ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        return new Outcome(Results.decided(metadata, id, CommandStatus.APPLIED, next.state().getVersion(), next.state(), now), event);
    }
}
