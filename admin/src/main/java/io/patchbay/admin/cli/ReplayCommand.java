package io.patchbay.admin.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.patchbay.admin.AdminCli;
import io.patchbay.admin.replay.ChangeReplay;
import io.patchbay.admin.replay.ReplayFilter;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code replay}: re-publishes change-log entries byte for byte, optionally a compacted topic of current states. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-publish change events from the change log as first published, with a 'patchbay-replay'"
                + " header naming the run. The payload is the stored one byte for byte; the schema id in its 5-byte"
                + " header is the id the registry gives the stored writer schema now (the original id unless the"
                + " registry lost it or gave it to another schema). Keys are resource ids in the processor's key format."})
public final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    AdminCli root;

    @Spec
    CommandSpec spec;

    @Option(names = "--type", paramLabel = "TYPE", description = "only this resource type: ${COMPLETION-CANDIDATES}")
    ResourceType type;

    @Option(names = "--resource", paramLabel = "ID", description = "only this resource (its canonical id)")
    String resource;

    @Option(names = "--from-version", paramLabel = "N", description = "lowest version, inclusive")
    Long fromVersion;

    @Option(names = "--to-version", paramLabel = "N", description = "highest version, inclusive")
    Long toVersion;

    @Option(names = "--since", paramLabel = "INSTANT", description = "changes at or after, e.g. 2026-12-01T00:00:00Z")
    Instant since;

    @Option(names = "--until", paramLabel = "INSTANT", description = "changes before")
    Instant until;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "publish every event here, created when missing (default: the changes topic of its resource type)")
    String topic;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:PATCHBAY_TOPIC_PREFIX:-patchbay}",
            description = "first segment of the default topics (default: $PATCHBAY_TOPIC_PREFIX, else ${DEFAULT-VALUE})")
    String topicPrefix;

    @Option(names = "--state-topic", paramLabel = "TOPIC",
            description = "instead of the events, publish each resource's newest event (its 'after' is the current"
                    + " state) to this topic, created with cleanup.policy=compact when missing")
    String stateTopic;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            defaultValue = "${env:SPRING_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka brokers (default: $SPRING_KAFKA_BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            defaultValue = "${env:PATCHBAY_SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Confluent-API schema registry the consumers use (default: $PATCHBAY_SCHEMA_REGISTRY_URL, else ${DEFAULT-VALUE})")
    String registryUrl;

    @Option(names = "--key-format", paramLabel = "FORMAT", converter = KeyFormats.class,
            defaultValue = "${env:PATCHBAY_PROCESSOR_KEY_FORMAT:-string}",
            description = "keys as the processor writes them, its patchbay.processor.key-format: string or avro"
                    + " (default: $PATCHBAY_PROCESSOR_KEY_FORMAT, else ${DEFAULT-VALUE})")
    ChangeReplay.KeyFormat keyFormat;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class, defaultValue = "60s",
            description = "longest wait for the broker (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        ReplayFilter filter = new ReplayFilter(type == null ? null : type.name(), resource, fromVersion, toVersion, since, until);
        String runId = "replay-" + UUID.randomUUID();
        ChangeReplay replay = new ChangeReplay(bootstrapServers, timeout, registryUrl, keyFormat, new Topics(topicPrefix));
        PrintWriter out = spec.commandLine().getOut();
        if (stateTopic != null) {
            long states = replay.publishStates(root.jdbi(), filter, stateTopic, runId);
            out.println("published " + states + " resource states to " + stateTopic + " (" + ChangeReplay.HEADER + ": " + runId + ")");
            return 0;
        }
        ChangeReplay.Published events = topic != null ? replay.replayTo(root.jdbi(), filter, topic, runId)
                : replay.replay(root.jdbi(), filter, ChangeReplay.changesTopics(topicPrefix), runId);
        out.println("replayed " + events.records() + " events to " + (topic != null ? topic : "the changes topics under " + topicPrefix)
                + " (" + ChangeReplay.HEADER + ": " + runId + ")");
        if (events.reframed() > 0) {
            out.println(events.reframed() + " of them with the schema id the registry gives their writer schema now, not the"
                    + " one first published (the registry had lost it or given it to another schema); payloads unchanged");
        }
        return 0;
    }

    /** {@code string} or {@code avro}, as the processor's property is written. */
    static final class KeyFormats implements ITypeConverter<ChangeReplay.KeyFormat> {
        @Override
        public ChangeReplay.KeyFormat convert(String value) {
            return ChangeReplay.KeyFormat.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
