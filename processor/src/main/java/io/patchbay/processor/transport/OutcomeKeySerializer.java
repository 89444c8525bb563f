package io.patchbay.processor.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serializer;

import io.patchbay.schemas.serde.SerdeConfig;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SchemaWarmUp;

/**
 * The key serializer of everything the processor publishes: keys of the change and result topics in the configured
 * {@link KeyFormat}, keys of dead letters unchanged (they keep the original record's key, as it was read).
 */
public final class OutcomeKeySerializer implements Serializer<String> {

    private static final Schema STRING = Schema.create(Schema.Type.STRING);

    private final Set<String> formatted;
    private final ConfluentAvroSerializer<Object> avro;

    private OutcomeKeySerializer(Set<String> formatted, ConfluentAvroSerializer<Object> avro) {
        this.formatted = formatted;
        this.avro = avro;
    }

    /** Keys in {@code format} on {@code topics}' change and result topics, through the registry at {@code registryUrl}. */
    public static OutcomeKeySerializer of(KeyFormat format, Topics topics, String registryUrl) {
        if (format == KeyFormat.STRING) {
            return new OutcomeKeySerializer(Set.of(), null);
        }
        ConfluentAvroSerializer<Object> avro = new ConfluentAvroSerializer<>();
        avro.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), true);
        return new OutcomeKeySerializer(Set.of(topics.changes(ResourceType.EVALUATION), topics.changes(ResourceType.AUTOMATION),
                topics.commandResults()), avro);
    }

    /** The key schemas this serializer writes (the Avro {@code "string"} per formatted topic), for registration at start. */
    public List<SchemaWarmUp.WrittenSchema> writtenSchemas() {
        return formatted.stream().sorted().map(topic -> new SchemaWarmUp.WrittenSchema(avro, topic, STRING)).toList();
    }

    @Override
    public byte[] serialize(String topic, String key) {
        if (key == null) {
            return null;
        }
        return formatted.contains(topic) ? avro.serialize(topic, key) : key.getBytes(StandardCharsets.UTF_8);
    }
}
