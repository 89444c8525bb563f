package io.patchbay.processor.application;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.patchbay.store.RecordPosition;

/** A record of the batch: decoded into {@code command}, or the {@code poison} reason it cannot be. */
record BatchRecord(ConsumerRecord<String, byte[]> record, DecodedCommand command,
                   CommandDecoder.PoisonCommandException poison) {

    static BatchRecord decode(CommandDecoder decoder, ConsumerRecord<String, byte[]> record) {
        try {
            return new BatchRecord(record, decoder.decode(record), null);
        } catch (CommandDecoder.PoisonCommandException e) {
            return new BatchRecord(record, null, e);
        }
    }

    /** Where this delivery of the record sits. */
    RecordPosition position() {
        return new RecordPosition(record.topic(), record.partition(), record.offset());
    }
}
