package io.patchbay.processor.application;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.SchemaIds;
import io.patchbay.store.RecordPosition;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLogEntry;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Serializes a command's {@link Outcome} once, into the bytes that are both stored and published: the result in its
 * command-log entry, the change event in its change-log entry and its record for the changes topic. Storing the
 * published bytes is what makes a re-publish after a redelivery byte-identical. Change events are linked into their
 * resource's hash chain ({@link EventChains}) as they are serialized, and name the writer schema kept beside the log
 * ({@link WriterSchemaRecorder}).
 */
final class OutcomeSerializer {

    private static final String TRACEPARENT = "traceparent";

    private final Topics topics;
    private final Serializer<Object> serializer;
    private final EventChains chains = new EventChains();
    private final WriterSchemaRecorder writerSchemas;

    OutcomeSerializer(Topics topics, Serializer<Object> serializer, WriterSchemaRecorder writerSchemas) {
        this.topics = topics;
        this.serializer = serializer;
        this.writerSchemas = writerSchemas;
    }

    /** Reads ahead what {@link #serialize} needs of the batch's resources: their hash-chain heads. */
    Runnable prefetch(ReadRound reads, Collection<DecodedCommand> commands, BatchContext batch) {
        return chains.prefetch(reads, commands, batch);
    }

    /**
     * Reads ahead, in one query, the hash-chain heads of resources the commands named otherwise than by id
     * ({@link CommandHandler#prefetchedId}), which {@link #prefetch} could not know; nothing when there are none.
     */
    void prefetchResolved(Handle handle, Map<ResourceType, Set<String>> ids, BatchContext batch) {
        chains.prefetchResolved(handle, ids, batch);
    }

    /**
     * @param traceparent the W3C trace context of the span that applied the command, written into the change event's
     *                    {@code traceparent} field; null leaves the field as the handler set it (the command's own)
     */
    AppliedCommand serialize(Handle handle, BatchContext batch, DecodedCommand command, Outcome outcome, Instant now,
                             String traceparent) {
        CommandResult result = outcome.result();
        ChangeLogEntry change = null;
        List<ProducerRecord<String, byte[]>> events = List.of();
        if (outcome.changeEvent() != null) {
            String topic = topics.changes(command.type());
            if (traceparent != null) {
                GenericRecord changeEvent = (GenericRecord) outcome.changeEvent();
                if (changeEvent.getSchema().getField(TRACEPARENT) != null) {
                    changeEvent.put(TRACEPARENT, traceparent);
                }
            }
            byte[] event = chains.seal(handle, batch, command.type(), result.getResourceId(), result.getVersion(),
                    (GenericRecord) outcome.changeEvent(), record -> serializer.serialize(topic, record));
            byte[] writer = writerSchemas.fingerprint(outcome.changeEvent().getSchema(), topic + "-value",
                    SchemaIds.of(event));
            change = new ChangeLogEntry(command.type().name(), result.getResourceId(), result.getVersion(),
                    eventId(outcome.changeEvent()), command.commandId(), command.metadata().getTeamId(), now, event, writer);
            events = List.of(new ProducerRecord<>(topic, result.getResourceId(), event));
        }
        CommandLogEntry entry = new CommandLogEntry(command.commandId(), command.type().name(), result.getResourceId(),
                command.metadata().getTeamId(), result.getStatus().name(), command.metadata().getRequestId(),
                result.getVersion(), serializer.serialize(topics.commandResults(), result), sourceOf(command),
                command.metadata().getReceivedAt(), now, command.metadata().getPath());
        return new AppliedCommand(entry, change, events, result);
    }

    private static RecordPosition sourceOf(DecodedCommand command) {
        return new RecordPosition(command.source().topic(), command.source().partition(), command.source().offset());
    }

    private static String eventId(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("eventId").pos()));
    }
}
