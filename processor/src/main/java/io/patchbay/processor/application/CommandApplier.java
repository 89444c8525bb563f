package io.patchbay.processor.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ResourceType;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Decides one undecided command in the batch transaction: re-checks who sent it ({@link ActorAuthorizer}), lets the
 * {@link CommandHandler} of its resource type apply it to the batch's state, and serializes the outcome
 * ({@link OutcomeSerializer}). Nothing is written here: {@link CommandWriter} does that.
 */
final class CommandApplier {

    private final Map<ResourceType, CommandHandler> handlers;
    private final ActorAuthorizer authorizer = new ActorAuthorizer();
    private final OutcomeSerializer serializer;

    CommandApplier(Map<ResourceType, CommandHandler> handlers, OutcomeSerializer serializer) {
        this.handlers = handlers;
        this.serializer = serializer;
    }

    /**
     * Reads ahead, in a few set-based queries instead of several per command, what {@code commands} need: their
     * actors' API keys into {@code keys}, per resource type their rows (locked) into {@code batch}, and their hash-chain
     * heads. The queries are sent together ({@link ReadRound}): one round trip to PostgreSQL.
     */
    void prefetch(Handle handle, Collection<DecodedCommand> commands, Map<String, Optional<ApiKeyRecord>> keys,
                  BatchContext batch) {
        Map<ResourceType, List<DecodedCommand>> byType = new EnumMap<>(ResourceType.class);
        Set<String> actors = new LinkedHashSet<>();
        for (DecodedCommand command : commands) {
            byType.computeIfAbsent(command.type(), t -> new ArrayList<>()).add(command);
            actors.add(command.metadata().getActor().getApiKeyId());
        }
        ReadRound reads = new ReadRound();
        List<Runnable> then = new ArrayList<>();
        then.add(authorizer.prefetch(reads, actors, keys));
        byType.forEach((type, ofType) -> then.add(handlers.get(type).prefetch(reads, ofType, batch)));
        then.add(serializer.prefetch(reads, commands, batch));
        reads.run(handle);
        then.forEach(Runnable::run);
        Map<ResourceType, Set<String>> resolved = new EnumMap<>(ResourceType.class);
        for (DecodedCommand command : commands) {
            String id = handlers.get(command.type()).prefetchedId(command, batch);
            if (id != null) {
                resolved.computeIfAbsent(command.type(), t -> new LinkedHashSet<>()).add(id);
            }
        }
        serializer.prefetchResolved(handle, resolved, batch);
        CycleTrace.mark(CycleTrace.Phase.PREFETCH);
    }

    /** @param traceparent the W3C trace context of the command's span, for its change event (null: the command's own) */
    AppliedCommand apply(Handle handle, DecodedCommand command, Map<String, Optional<ApiKeyRecord>> keys,
                         BatchContext batch, Instant now, String traceparent) {
        ActorAuthorizer.Verdict verdict = authorizer.authorize(handle, command.metadata(), keys, now);
        Outcome outcome = verdict.refusal() != null
                ? new Outcome(Results.rejected(command.metadata(), List.of(verdict.refusal()), now), null)
                : handlers.get(command.type()).handle(handle, command, verdict.role(), batch, now);
        return serializer.serialize(handle, batch, command, outcome, now, traceparent);
    }
}
