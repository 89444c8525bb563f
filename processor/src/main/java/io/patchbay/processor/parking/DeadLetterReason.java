package io.patchbay.processor.parking;

import io.patchbay.store.parking.ParkedRecord;

/**
 * Why a record goes to the dead-letter topic: the values of its {@code kafka_dlt-exception-fqcn} ({@code type}) and
 * {@code kafka_dlt-exception-message} headers, and of its {@code parked_record} row.
 *
 * @param type the class name of the failure that set the record aside, or {@value #PARKED_BEHIND} when nothing failed
 * @param message what went wrong, for the operator who replays it
 */
public record DeadLetterReason(String type, String message) {

    /**
     * The type of a record dead-lettered only because an earlier record with its key is parked: nothing is wrong with
     * it, it keeps its place in line until a replay (patterns.md 1.4's reason {@code parked-behind}).
     */
    public static final String PARKED_BEHIND = "parked-behind";

    /** A failure of the record itself: its class and message. */
    public static DeadLetterReason of(Throwable failure) {
        return new DeadLetterReason(failure.getClass().getName(), failure.getMessage());
    }

    /** The reason a parked record was stored with, as its dead letter is emitted again. */
    public static DeadLetterReason of(ParkedRecord row) {
        return new DeadLetterReason(row.reasonClass(), row.reason());
    }

    /** Waiting behind {@code first}, the earliest parked record with the same key (and its reason, if it failed). */
    public static DeadLetterReason parkedBehind(ParkedRecord first) {
        return new DeadLetterReason(PARKED_BEHIND, "parked behind " + first.position() + " (same key), dead-lettered earlier"
                + (first.reasonClass().equals(PARKED_BEHIND) ? "" : ": " + first.reason()));
    }
}
