package io.patchbay.store.commandlog;

import java.time.Instant;

import io.patchbay.store.RecordPosition;

/**
 * The outcome of one command as the processor recorded it.
 *
 * @param result the {@code CommandResult} exactly as published (Confluent wire format)
 * @param version the resource version after the command, or null when it was rejected
 * @param source the commands-topic record that decided it
 * @param path the HTTP request path the command came from, or null when it did not come over HTTP
 */
public record CommandLogEntry(String commandId, String resourceType, String resourceId, String teamId, String status,
                              String requestId, Long version, byte[] result, RecordPosition source, Instant receivedAt,
                              Instant completedAt, String path) {
}
