package io.patchbay.store.parking;

import java.time.Instant;

import io.patchbay.store.RecordPosition;

/**
 * A commands-topic record that went to the dead-letter topic and holds its key parked until it is replayed.
 *
 * @param position where the record was first delivered; replays and re-parks keep this identity
 * @param reasonClass the failure's class name, as in the dead letter's {@code kafka_dlt-exception-fqcn} header
 * @param reason why it was dead-lettered, as in the {@code kafka_dlt-exception-message} header
 */
public record ParkedRecord(RecordPosition position, String recordKey, String reasonClass, String reason, Instant parkedAt) {
}
