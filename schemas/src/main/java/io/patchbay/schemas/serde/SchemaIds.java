package io.patchbay.schemas.serde;

import java.util.Arrays;

import io.patchbay.schemas.serde.internal.WireFormat;

/** The registry schema id in the 5-byte header of the Confluent wire format: read it, or give bytes another one. */
public final class SchemaIds {

    private SchemaIds() {
    }

    /**
     * The schema id of {@code wire}.
     *
     * @throws WireFormatException when {@code wire} is not the Confluent wire format
     */
    public static int of(byte[] wire) {
        return WireFormat.readSchemaId(wire, "Confluent-framed bytes");
    }

    /** {@code wire} itself when its id is {@code id}, else a copy with {@code id} in its header and the same payload. */
    public static byte[] withId(byte[] wire, int id) {
        if (of(wire) == id) {
            return wire;
        }
        byte[] copy = Arrays.copyOf(wire, wire.length);
        WireFormat.writeHeader(copy, id);
        return copy;
    }
}
