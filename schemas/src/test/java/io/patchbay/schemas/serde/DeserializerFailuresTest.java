package io.patchbay.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.registry.RegistryUnavailableException;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.testing.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * What a consumer (and a dead-letter header) gets to read when a record cannot be deserialized: a Kafka
 * {@link SerializationException} that says what is wrong and shows no more than 8 payload bytes.
 */
class DeserializerFailuresTest {

    private final String url = Fixtures.mockUrl("failures");
    private final ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
    private final ConfluentAvroDeserializer<Object> keyDeserializer = new ConfluentAvroDeserializer<>();

    DeserializerFailuresTest() {
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        keyDeserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), true);
    }

    private byte[] validPayload() {
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        return serializer.serialize("results", Fixtures.commandResult());
    }

    @Test
    void aValueNestedTooDeeplyToDecodeIsASerializationErrorNotAStackOverflow() throws Exception {
        io.patchbay.schemas.JsonValue deep = new io.patchbay.schemas.JsonValue(new io.patchbay.schemas.JsonNumber("1"));
        for (int i = 0; i < 200_000; i++) {
            deep = new io.patchbay.schemas.JsonValue(java.util.List.of(deep));
        }
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        io.patchbay.schemas.JsonValue value = deep;
        byte[][] bytes = new byte[1][];
        Thread writer = new Thread(null, () -> bytes[0] = serializer.serialize("deep", value), "deep-writer", 1L << 31);
        writer.start();
        writer.join();

        assertThatThrownBy(() -> deserializer.deserialize("deep", bytes[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("nested too deeply to decode");
    }

    @Test
    void anUnknownMagicByteIsAFramingErrorWithAShortHexPrefix() {
        byte[] json = "{\"commandId\":\"c1\",\"secret\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize("results", json))
                .isInstanceOf(WireFormatException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot deserialize value of topic 'results'")
                .hasMessageContaining("unknown magic byte 0x7b")
                .hasMessageContaining("Payload " + json.length + " bytes: 7b 22 63 6f 6d 6d 61 6e ...")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining(HexFormat.ofDelimiter(" ").formatHex(json, 0, 9));
    }

    @Test
    void magicByteOneIsNamedAsConfluent8GuidFramingNotDecoded() {
        byte[] guidFramed = new byte[25];
        guidFramed[0] = 0x01;

        assertThatThrownBy(() -> deserializer.deserialize("results", guidFramed))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("magic byte 0x01, Confluent 8's schema-GUID framing");
    }

    @Test
    void aPayloadShorterThanTheHeaderIsAFramingError() {
        assertThatThrownBy(() -> deserializer.deserialize("results", new byte[] {0, 0, 0}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("the payload of 3 bytes is shorter than the 5-byte Confluent header")
                .hasMessageContaining(": 00 00 00");
        assertThatThrownBy(() -> deserializer.deserialize("results", new byte[0]))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("the payload is empty");
    }

    @Test
    void aSchemaIdInHeadersIsRefusedEvenIfThePayloadLooksFramed() {
        byte[] payload = validPayload();
        RecordHeaders headers = new RecordHeaders();
        headers.add("__value_schema_id", new byte[] {0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

        assertThatThrownBy(() -> deserializer.deserialize("results", headers, payload))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("header '__value_schema_id'")
                .hasMessageContaining("Confluent 8 header-based schema ids");
    }

    @Test
    void eachSideLooksOnlyAtItsOwnSchemaIdHeader() {
        byte[] payload = validPayload();
        RecordHeaders keyHeader = new RecordHeaders();
        keyHeader.add("__key_schema_id", new byte[] {0, 0, 0, 0, 1});

        assertThat(deserializer.deserialize("results", keyHeader, payload)).isNotNull();
        assertThatThrownBy(() -> keyDeserializer.deserialize("results", keyHeader, payload))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("Cannot deserialize key of topic 'results'")
                .hasMessageContaining("header '__key_schema_id'");
    }

    @Test
    void anUnknownSchemaIdNamesTheIdAndKeepsTheRegistryFailureAsCause() {
        byte[] payload = {0, 0, 0, 0x10, (byte) 0x92, 2, 0x61};

        assertThatThrownBy(() -> deserializer.deserialize("results", payload))
                .isInstanceOf(SerializationException.class)
                .isNotInstanceOf(WireFormatException.class)
                .hasMessageContaining("Cannot deserialize value of topic 'results': unknown schema id 4242")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void anUnreachableRegistryIsReportedWithUrlAndAttempts() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ConfluentAvroDeserializer<Object> unreachable = new ConfluentAvroDeserializer<>();
        unreachable.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + port,
                SerdeConfig.MAX_RETRIES, 2, SerdeConfig.RETRIES_WAIT_MS, 1, SerdeConfig.RETRIES_MAX_WAIT_MS, 2), false);

        assertThatThrownBy(() -> unreachable.deserialize("results", new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("could not fetch writer schema id 1")
                .hasMessageContaining("schema registry http://127.0.0.1:" + port + " unavailable after 3 attempts")
                .hasCauseInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void aTruncatedDatumNamesTheSchemaAndShowsOnlyAPrefix() {
        Schema schema = SchemaBuilder.record("Secretive").namespace("test").fields()
                .requiredString("secret").requiredLong("n").endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("secret", "correct horse battery staple");
        record.put("n", 1L);
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        byte[] full = serializer.serialize("secrets", record);
        byte[] truncated = Arrays.copyOf(full, full.length - 5);
        int id = ((full[1] & 0xff) << 24) | ((full[2] & 0xff) << 16) | ((full[3] & 0xff) << 8) | (full[4] & 0xff);

        assertThatThrownBy(() -> deserializer.deserialize("secrets", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("do not decode with writer schema id " + id + " (test.Secretive)")
                .hasMessageContaining("payload " + truncated.length + " bytes: "
                        + HexFormat.ofDelimiter(" ").formatHex(truncated, 0, 8) + " ...")
                .hasMessageNotContaining("horse")
                .hasMessageNotContaining("68 6f 72 73 65"); // "horse" in hex
    }
}
