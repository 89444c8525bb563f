package io.patchbay.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload is not in the Confluent wire format this serde reads (magic byte {@code 0x00}, a 4-byte big-endian
 * schema id, then Avro binary): wrong magic byte, too short, or a schema id carried in headers. Its message
 * shows at most a short hex prefix of the payload.
 */
public final class WireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
