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
import io.patchbay.schemas.registry.RegistryAuthException;
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
            if (isTransient(e)) {
                throw e;
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
        for (var id : java.util.Map.of("commandId", metadata.getCommandId(), "resourceId", metadata.getResourceId(),
                "teamId", metadata.getTeamId(), "actor.apiKeyId", metadata.getActor().getApiKeyId(),
                "requestId", metadata.getRequestId()).entrySet()) {
            if (id.getValue().indexOf('\0') >= 0) {
                // PostgreSQL text refuses NUL: such a command could be neither looked up nor logged, and its failing
                // transaction would be retried forever, stalling the partition.
                throw new PoisonCommandException("command " + metadata.getCommandId().replace('\0', '?') + ": metadata "
                        + id.getKey() + " contains a NUL character", null);
            }
        }
        return new DecodedCommand(record, type, (SpecificRecord) value, metadata);
    }

    /** The registry is unreachable or refuses our credentials: retry the batch, the record itself may be fine. */
    private static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException || t instanceof RegistryAuthException) {
                return true;
            }
        }
        return false;
    }

    /** A record that can never become a command; it goes to the dead-letter topic with this reason. */
    public static final class PoisonCommandException extends RuntimeException {
        public PoisonCommandException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
