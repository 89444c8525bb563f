package io.patchbay.processor.application;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.registry.RegistryUnavailableException;

/**
 * Turns a commands-topic record into a {@link DecodedCommand}, or says precisely why it cannot: the
 * processor never trusts the command topic.
 */
public final class CommandDecoder {

    private final Topics topics;
    private final Deserializer<Object> deserializer;

    public CommandDecoder(Topics topics, Deserializer<Object> deserializer) {
        this.topics = topics;
        this.deserializer = deserializer;
    }

    public DecodedCommand decode(ConsumerRecord<String, byte[]> record) {
        ResourceType type = topics.commandsTopicType(record.topic());
        if (record.value() == null) {
            throw new PoisonCommandException("tombstone (null value) on a commands topic", null);
        }
        Object value;
        try {
            value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            RegistryUnavailableException unavailable = RegistryUnavailableException.findIn(e);
            if (unavailable != null) {
                throw new RegistryDownException(unavailable);
            }
            throw new PoisonCommandException("undecodable command: " + e.getMessage(), e);
        }
        CommandMetadata metadata = switch (type) {
            case EVALUATION -> value instanceof EvaluationUpdateCommand c ? c.getMetadata() : null;
            case AUTOMATION -> value instanceof AutomationUpdateCommand c ? c.getMetadata() : null;
        };
        if (metadata == null) {
            throw new PoisonCommandException("expected a " + (type == ResourceType.EVALUATION
                    ? "EvaluationUpdateCommand" : "AutomationUpdateCommand") + " on " + record.topic() + ", got "
                    + (value == null ? "null" : value.getClass().getSimpleName()), null);
        }
        if (metadata.getResourceType() != type) {
            throw new PoisonCommandException("command " + metadata.getCommandId() + " is for " + metadata.getResourceType()
                    + " but arrived on " + record.topic(), null);
        }
        checkStorable("commandId", metadata.getCommandId());
        checkStorable("resourceId", metadata.getResourceId());
        checkStorable("teamId", metadata.getTeamId());
        checkStorable("actor.apiKeyId", metadata.getActor().getApiKeyId());
        checkStorable("requestId", metadata.getRequestId());
        return new DecodedCommand(record, type, (SpecificRecord) value, metadata);
    }

    /** Identifiers are looked up and stored as PostgreSQL text, which cannot hold U+0000; nor are they ever empty. */
    private static void checkStorable(String field, String value) {
        if (value.isEmpty() || value.indexOf('\u0000') >= 0) {
            throw new PoisonCommandException("metadata." + field + " is empty or contains a NUL character (U+0000)", null);
        }
    }

    /**
     * The schema registry could not be reached to read the record's writer schema: a fault of the environment,
     * not of the record, so the batch is retried instead of dead-lettering good commands.
     */
    public static final class RegistryDownException extends RuntimeException {
        public RegistryDownException(RegistryUnavailableException cause) {
            super("schema registry unavailable while decoding a command: " + cause.getMessage(), cause);
        }
    }

    /** A record that can never become a command; it goes to the dead-letter topic with this reason. */
    public static final class PoisonCommandException extends RuntimeException {
        public PoisonCommandException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
