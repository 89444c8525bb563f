package io.patchbay.processor.transport;

/** How the processor writes the keys (resource ids, command ids) of change events and command results. */
public enum KeyFormat {
    /** UTF-8 bytes of the id: what Kafka's {@code StringDeserializer} reads. The default. */
    STRING,
    /**
     * The id as Confluent's Avro serializer writes a string: magic byte, schema id of Avro {@code "string"} (registered
     * under {@code <topic>-key}), Avro binary. For consumers configured with an Avro key deserializer, such as
     * Confluent's Python {@code AvroConsumer}, which fail on plain keys ("message does not start with magic byte").
     */
    AVRO
}
