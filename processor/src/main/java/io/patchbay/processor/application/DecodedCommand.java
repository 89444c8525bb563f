package io.patchbay.processor.application;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ResourceType;

/** A command read from its topic, with the record it came from. */
public record DecodedCommand(ConsumerRecord<String, byte[]> source, ResourceType type, SpecificRecord command,
                             CommandMetadata metadata) {

    public String commandId() {
        return metadata.getCommandId();
    }
}
