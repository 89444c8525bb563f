package io.patchbay.store.commandlog;

import java.time.Instant;

/**
 * One applied change.
 *
 * @param payload the change event exactly as published (Confluent wire format)
 * @param writerFingerprint the fingerprint of the schema it was written with (a {@code writer_schema} row); null for
 *     an event stored before writer schemas were kept and not yet backfilled
 */
public record ChangeLogEntry(String resourceType, String resourceId, long version, String eventId, String commandId,
                             String teamId, Instant occurredAt, byte[] payload, byte[] writerFingerprint) {
}
