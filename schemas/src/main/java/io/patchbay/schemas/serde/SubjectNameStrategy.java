package io.patchbay.schemas.serde;

import java.util.Arrays;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How a serializer names the registry subject of a record, after Confluent's strategies of the same names.
 * Configure with {@link SerdeConfig#KEY_SUBJECT_NAME_STRATEGY} / {@link SerdeConfig#VALUE_SUBJECT_NAME_STRATEGY}.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} / {@code <topic>-value}: everything on a topic must stay mutually compatible. */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },

    /** The record's full name, across topics. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return recordName(this, schema);
        }
    },

    /** {@code <topic>-<full record name>}: several record types per topic, each evolving on its own. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + recordName(this, schema);
        }
    };

    private final String confluentName;

    SubjectNameStrategy(String confluentName) {
        this.confluentName = confluentName;
    }

    /**
     * The subject for a record of {@code schema} on {@code topic}.
     *
     * @throws IllegalArgumentException when the strategy needs a record name and the schema is not a record
     */
    public abstract String subjectName(String topic, boolean isKey, Schema schema);

    /** Confluent's simple class name, e.g. {@code TopicNameStrategy}. */
    public String confluentName() {
        return confluentName;
    }

    /**
     * Parses a configured value: a Confluent class name ({@code io.confluent.kafka.serializers.subject.
     * TopicNameStrategy}, or any package), its simple name ({@code TopicNameStrategy}), a {@link Class} with
     * such a name, or the constant name ({@code TOPIC_NAME}).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static SubjectNameStrategy parse(Object value) {
        if (value instanceof SubjectNameStrategy strategy) {
            return strategy;
        }
        String text = value instanceof Class<?> type ? type.getName() : String.valueOf(value).trim();
        String simple = text.substring(text.lastIndexOf('.') + 1);
        for (SubjectNameStrategy strategy : values()) {
            if (strategy.confluentName.equals(simple) || strategy.name().equals(text.toUpperCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown subject name strategy '" + text + "'; expected one of "
                + Arrays.stream(values()).map(SubjectNameStrategy::confluentName).toList()
                + " (optionally with Confluent's package io.confluent.kafka.serializers.subject)");
    }

    private static String recordName(SubjectNameStrategy strategy, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(strategy.confluentName + " needs a record schema, not "
                    + schema.getType().getName());
        }
        return schema.getFullName();
    }
}
