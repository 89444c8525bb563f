package io.patchbay.schemas;

import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * patchbay's topic names. The prefix is {@code patchbay} in every deployment; tests use their own prefix to
 * share one broker without sharing topics.
 *
 * @param prefix the first segment of every topic name
 */
public record Topics(String prefix) {

    /** The prefix of patchbay's own topics unless configured otherwise: {@value}. */
    public static final String DEFAULT_PREFIX = "patchbay";

    public static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

    /**
     * Partitions of the replies topic when it is created: each adapter instance leases one to receive the outcomes of
     * its own requests, so this is the most adapter instances that answer synchronously.
     */
    public static final int REPLY_PARTITIONS = 16;

    /** The commands topic of a resource type: {@code <prefix>.<resources>.commands}. */
    public String commands(ResourceType type) {
        return prefix + "." + plural(type) + ".commands";
    }

    /** The change events topic of a resource type: {@code <prefix>.<resources>.changes}. */
    public String changes(ResourceType type) {
        return prefix + "." + plural(type) + ".changes";
    }

    /** Where outcomes of every command go, keyed by command id. */
    public String commandResults() {
        return prefix + ".command-results";
    }

    /**
     * Where outcomes go when a command names it as its reply topic (spring-kafka's {@code kafka_replyTopic}), each
     * adapter instance reading the partition it leased; keyed by command id.
     */
    public String commandReplies() {
        return prefix + ".command-replies";
    }

    /** The dead-letter topic of a commands topic: {@code <topic>-dlt}. */
    public static String deadLetter(String topic) {
        return topic + "-dlt";
    }

    /** Every topic patchbay uses, dead-letter topics included. */
    public List<String> all() {
        return List.of(commands(ResourceType.EVALUATION), commands(ResourceType.AUTOMATION),
                deadLetter(commands(ResourceType.EVALUATION)), deadLetter(commands(ResourceType.AUTOMATION)),
                changes(ResourceType.EVALUATION), changes(ResourceType.AUTOMATION), commandResults(), commandReplies());
    }

    /**
     * Every topic, to be created at start when missing. Dead-letter topics get the same partition count, because a
     * dead letter keeps its original partition; the replies topic gets {@link #REPLY_PARTITIONS} unless more.
     */
    public NewTopic[] newTopics(int partitions) {
        return all().stream().map(name -> new NewTopic(name, name.equals(commandReplies())
                ? Math.max(partitions, REPLY_PARTITIONS) : partitions, (short) -1)).toArray(NewTopic[]::new);
    }

    /** The resource type whose commands topic is {@code topic}. */
    public ResourceType commandsTopicType(String topic) {
        for (ResourceType type : ResourceType.values()) {
            if (commands(type).equals(topic)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a commands topic: " + topic);
    }

    private static String plural(ResourceType type) {
        return type == ResourceType.EVALUATION ? "evaluations" : "automations";
    }
}
