package io.patchbay.adapter.resource;

import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import io.patchbay.schemas.CommandMetadata;

/**
 * A PATCH that passed its request-level checks, ready to become a command.
 *
 * @param recordKey the command's Kafka record key: the canonical resource id, or the identifier as sent when it
 *                  resolves to nothing (api-contract §1.5)
 * @param command builds the command around its metadata; called once the command is about to be published, so
 *                expensive work (hashing a share password) is done only for commands that are sent
 */
public record PreparedPatch(String recordKey, Function<CommandMetadata, SpecificRecord> command) {
}
