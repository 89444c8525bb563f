package io.patchbay.schemas.serde.internal;

import io.patchbay.schemas.internal.Hex;
import io.patchbay.schemas.serde.WireFormatException;
import org.apache.kafka.common.header.Headers;

/** Confluent framing: {@code 0x00}, a 4-byte big-endian schema id, then the Avro binary datum. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x00;
    /** Confluent 8's schema-GUID framing (and the first byte of its GUID headers). */
    public static final byte MAGIC_BYTE_GUID = 0x01;
    public static final int HEADER_SIZE = 5;
    /** Headers in which Confluent 8 producers may put the schema id instead of the payload prefix. */
    public static final String KEY_SCHEMA_ID_HEADER = "__key_schema_id";
    public static final String VALUE_SCHEMA_ID_HEADER = "__value_schema_id";

    private WireFormat() {
    }

    /** Writes the 5-byte header into {@code target} (length at least {@link #HEADER_SIZE}). */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * Fails if the record carries its schema id in a header: then the payload is bare Avro (or GUID-framed) and
     * reading its first bytes as a prefix would mis-decode it.
     *
     * @param context e.g. {@code "value of topic 'orders'"}, for the message
     */
    public static void rejectSchemaIdHeaders(Headers headers, boolean isKey, String context, byte[] data) {
        if (headers == null) {
            return;
        }
        String name = isKey ? KEY_SCHEMA_ID_HEADER : VALUE_SCHEMA_ID_HEADER;
        if (headers.lastHeader(name) != null) {
            throw new WireFormatException("Cannot deserialize " + context + ": the record carries header '" + name
                    + "' (Confluent 8 header-based schema ids), which this deserializer does not support; it reads"
                    + " only the schema id framed in the payload (magic byte 0x00). Configure the producer to"
                    + " prefix the payload instead. Payload " + data.length + " bytes: " + Hex.prefix(data));
        }
    }

    /** The schema id of a framed payload. */
    public static int readSchemaId(byte[] data, String context) {
        if (data.length == 0) {
            throw new WireFormatException("Cannot deserialize " + context + ": the payload is empty; the Confluent"
                    + " wire format needs at least 5 bytes (magic byte 0x00 and a 4-byte schema id)");
        }
        byte magic = data[0];
        if (magic == MAGIC_BYTE_GUID) {
            throw new WireFormatException("Cannot deserialize " + context + ": the payload starts with magic byte"
                    + " 0x01, Confluent 8's schema-GUID framing, which this deserializer does not support; it reads"
                    + " magic byte 0x00 followed by a 4-byte schema id. Payload " + data.length + " bytes: "
                    + Hex.prefix(data));
        }
        if (magic != MAGIC_BYTE) {
            throw new WireFormatException("Cannot deserialize " + context + ": unknown magic byte " + Hex.ofByte(magic)
                    + "; the Confluent wire format starts with 0x00 (is the producer using another serializer?)."
                    + " Payload " + data.length + " bytes: " + Hex.prefix(data));
        }
        if (data.length < HEADER_SIZE) {
            throw new WireFormatException("Cannot deserialize " + context + ": the payload of " + data.length
                    + (data.length == 1 ? " byte" : " bytes") + " is shorter than the 5-byte Confluent header"
                    + " (magic byte 0x00 and a 4-byte schema id): " + Hex.prefix(data));
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }
}
