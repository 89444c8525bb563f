package io.patchbay.processor.application;

import org.apache.avro.specific.SpecificRecord;

import io.patchbay.schemas.CommandResult;

/** What applying one command produced: its result, and its change event when something changed. */
public record Outcome(CommandResult result, SpecificRecord changeEvent) {
}
