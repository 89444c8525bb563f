package io.patchbay.processor.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.processor.application.BatchTally;
import io.patchbay.processor.application.CommandBatchProcessor;
import io.patchbay.processor.application.CommandDecoder;
import io.patchbay.processor.application.CommandHandler;
import io.patchbay.processor.application.CommandTracing;
import io.patchbay.processor.application.ReplyRoutes;
import io.patchbay.processor.domain.AutomationCommandHandler;
import io.patchbay.processor.domain.EvaluationCommandHandler;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * The one way to assemble a {@link CommandBatchProcessor} as patchbay runs it (both resource types' handlers, the
 * project's serdes, the system UTC clock unless told otherwise): {@link ProcessorConfiguration}, the tests and the
 * bench all build it here, e.g. {@code CommandBatchProcessors.on(jdbi, topics).registry(url).build()}.
 */
public final class CommandBatchProcessors {

    /**
     * Both resource types' handlers, built once: a handler keeps no state of its own (the batch's is in its
     * {@code BatchContext}) and is already shared by every consumer thread of a processor, so every processor
     * assembled here and {@link #writtenSchemas} share these.
     */
    private static final List<CommandHandler> HANDLERS =
            List.of(new EvaluationCommandHandler(), new AutomationCommandHandler());

    private CommandBatchProcessors() {
    }

    /**
     * The value schemas a processor assembled here writes, by topic: results and each resource type's change events
     * (what {@link ProcessorConfiguration} registers at start).
     */
    public static Map<String, Schema> writtenSchemas(Topics topics) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(topics.commandResults(), CommandResult.getClassSchema());
        for (CommandHandler handler : HANDLERS) {
            schemas.put(topics.changes(handler.type()), handler.changeEventSchema());
        }
        return schemas;
    }

    /** Starts assembling a processor on {@code jdbi} that publishes to {@code topics} and reads their commands. */
    public static Builder on(Jdbi jdbi, Topics topics) {
        return new Builder(jdbi, topics);
    }

    /** Assembles a {@link CommandBatchProcessor}; see {@link CommandBatchProcessors#on}. */
    public static final class Builder {

        private final Jdbi jdbi;
        private final Topics topics;
        private Topics commandTopics;
        private Deserializer<Object> deserializer;
        private Serializer<Object> serializer;
        private Clock clock = Clock.systemUTC();
        private ReplyRoutes replies;
        private BatchTally.Observer observer = BatchTally.Observer.NONE;
        private CommandTracing tracing = CommandTracing.NONE;

        private Builder(Jdbi jdbi, Topics topics) {
            this.jdbi = jdbi;
            this.topics = topics;
            this.commandTopics = topics;
        }

        /** The project's serdes for the schema registry at {@code registryUrl}. */
        public Builder registry(String registryUrl) {
            this.deserializer = ConfluentAvroDeserializer.specificForRegistry(registryUrl);
            this.serializer = ConfluentAvroSerializer.forRegistry(registryUrl);
            return this;
        }

        /** Serializes outcomes with {@code serializer} instead (one whose schema ids were cached at start, say). */
        public Builder serializer(Serializer<Object> serializer) {
            this.serializer = serializer;
            return this;
        }

        /** Decodes commands with {@code deserializer} instead (one that does not retry the registry, say). */
        public Builder deserializer(Deserializer<Object> deserializer) {
            this.deserializer = deserializer;
            return this;
        }

        /** Reads commands from the topics of {@code commandTopics} when they are not those it publishes to. */
        public Builder commandTopics(Topics commandTopics) {
            this.commandTopics = commandTopics;
            return this;
        }

        /**
         * Answers commands that name a reply partition there ({@link ReplyRoutes}); without it every result goes to the
         * results topic.
         */
        public Builder replyRoutes(ReplyRoutes replies) {
            this.replies = replies;
            return this;
        }

        /** Told about each batch once its transaction has committed (metrics). */
        public Builder observer(BatchTally.Observer observer) {
            this.observer = observer;
            return this;
        }

        /** A span per command record, whose {@code traceparent} its outcomes carry; none unless told. */
        public Builder tracing(CommandTracing tracing) {
            this.tracing = tracing;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public CommandBatchProcessor build() {
            if (deserializer == null || serializer == null) {
                throw new IllegalStateException("no serdes: call registry(url) first");
            }
            return new CommandBatchProcessor(jdbi, topics, replies == null ? ReplyRoutes.resultsTopicOnly(topics) : replies,
                    new CommandDecoder(commandTopics, deserializer), serializer,
                    HANDLERS, clock, observer, tracing);
        }
    }
}
