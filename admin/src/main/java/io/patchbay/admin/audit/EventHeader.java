package io.patchbay.admin.audit;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The first five fields of a change event, which every version of {@code EvaluationChanged} and
 * {@code AutomationChanged} starts with ({@code eventId}, {@code commandId}, {@code resourceId}, {@code teamId}: strings;
 * {@code version}: long), read straight from the Avro binary body: no registry needed to verify a chain.
 */
record EventHeader(String eventId, String resourceId, long version) {

    private static final int WIRE_HEADER = 5;

    static EventHeader read(byte[] wire) {
        if (wire == null || wire.length <= WIRE_HEADER || wire[0] != 0) {
            throw new IllegalArgumentException("not in the Confluent wire format");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(wire, WIRE_HEADER, wire.length - WIRE_HEADER, null);
        try {
            String eventId = decoder.readString();
            decoder.readString();
            String resourceId = decoder.readString();
            decoder.readString();
            return new EventHeader(eventId, resourceId, decoder.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
