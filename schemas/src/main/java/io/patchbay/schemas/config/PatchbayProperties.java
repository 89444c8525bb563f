package io.patchbay.schemas.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.patchbay.schemas.Topics;

/**
 * The settings both apps share, under {@code patchbay.*}: the topics and the schema registry. Each app binds this
 * beside its own settings ({@code patchbay.processor.*}, {@code patchbay.api.*}); Kafka and the database use Spring
 * Boot's own {@code spring.kafka.*} and {@code spring.datasource.*}.
 *
 * @param topicPrefix first segment of every topic name (default {@value Topics#DEFAULT_PREFIX})
 * @param topicPartitions partitions of topics created at start when missing (default {@value #DEFAULT_TOPIC_PARTITIONS})
 * @param schemaRegistryUrl Confluent-API schema registry base URL (default {@value #DEFAULT_SCHEMA_REGISTRY_URL})
 */
@ConfigurationProperties("patchbay")
public record PatchbayProperties(String topicPrefix, int topicPartitions, String schemaRegistryUrl) {

    public static final int DEFAULT_TOPIC_PARTITIONS = 3;
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081";

    public PatchbayProperties {
        topicPrefix = topicPrefix == null ? Topics.DEFAULT_PREFIX : topicPrefix;
        topicPartitions = topicPartitions <= 0 ? DEFAULT_TOPIC_PARTITIONS : topicPartitions;
        schemaRegistryUrl = schemaRegistryUrl == null ? DEFAULT_SCHEMA_REGISTRY_URL : schemaRegistryUrl;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }
}
