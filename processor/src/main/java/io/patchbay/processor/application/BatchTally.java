package io.patchbay.processor.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;

/**
 * What one batch transaction decided and set aside, handed to an {@link Observer} only once the transaction has
 * committed: a batch that fails and is retried is counted once, by the attempt that committed.
 */
public final class BatchTally {

    /** Why a record went to the dead-letter topic instead of being decided. */
    public enum SetAside {
        /** It could not be decoded into a command. */
        UNDECODABLE,
        /** PostgreSQL refused its command. */
        REFUSED,
        /** An earlier record with its key is parked (or it is a replay that must wait for one). */
        PARKED_BEHIND
    }

    /** A command decided in the batch: its resource type, result, and when the adapter received it. */
    public record Decision(ResourceType type, CommandResult result, Instant receivedAt) {
    }

    /** Told about each committed batch (metrics). */
    @FunctionalInterface
    public interface Observer {

        /** Observes nothing. */
        Observer NONE = (records, tally) -> { };

        /** The batch of {@code records} records has committed what {@code tally} holds. */
        void committed(int records, BatchTally tally);
    }

    private final List<Decision> decisions = new ArrayList<>();
    private final int[] setAside = new int[SetAside.values().length];

    void decided(ResourceType type, CommandResult result, Instant receivedAt) {
        decisions.add(new Decision(type, result, receivedAt));
    }

    void add(SetAside reason) {
        setAside[reason.ordinal()]++;
    }

    /** The commands decided, in order. */
    public List<Decision> decisions() {
        return Collections.unmodifiableList(decisions);
    }

    /** How many records went to the dead-letter topic for {@code reason}. */
    public int setAsideFor(SetAside reason) {
        return setAside[reason.ordinal()];
    }
}
