package io.patchbay.store.commandlog;

import java.time.Instant;

/**
 * One applied change.
 *
 * @param payload the change event exactly as published (Confluent wire format)
 */
public record ChangeLogEntry(String resourceType, String resourceId, long version, String eventId, String commandId,
                             String teamId, Instant occurredAt, byte[] payload) {
}
