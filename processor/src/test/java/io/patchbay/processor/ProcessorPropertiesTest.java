package io.patchbay.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.patchbay.processor.transport.KeyFormat;
import io.patchbay.schemas.config.PatchbayProperties;

/** The processor's settings bind from {@code patchbay.*} as Spring Boot binds them, with the documented defaults. */
class ProcessorPropertiesTest {

    @Test
    void unsetSettingsTakeTheirDefaultConstants() {
        Binder binder = binder(Map.of("patchbay.unrelated", "x"));

        ProcessorProperties processor = binder.bindOrCreate("patchbay.processor", ProcessorProperties.class);
        PatchbayProperties shared = binder.bindOrCreate("patchbay", PatchbayProperties.class);

        assertThat(processor).isEqualTo(new ProcessorProperties(ProcessorProperties.DEFAULT_CONSUMER_GROUP,
                ProcessorProperties.DEFAULT_CONCURRENCY, ProcessorProperties.DEFAULT_MAX_BATCH,
                ProcessorProperties.DEFAULT_PUBLISH_TIMEOUT, ProcessorProperties.DEFAULT_RETENTION,
                ProcessorProperties.DEFAULT_PURGE_INTERVAL, ProcessorProperties.DEFAULT_PURGE_BATCH_SIZE,
                ProcessorProperties.DEFAULT_KEY_FORMAT, ProcessorProperties.DEFAULT_FETCH_MAX_WAIT,
                ProcessorProperties.DEFAULT_FETCH_MIN_BYTES, ProcessorProperties.DEFAULT_DATABASE_WAIT));
        assertThat(processor.databaseWait()).isEqualTo(Duration.ofMinutes(5));
        assertThat(processor.fetchMaxWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(processor.keyFormat()).isEqualTo(KeyFormat.STRING);
        assertThat(processor.maxBatch()).isEqualTo(500);
        assertThat(processor.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(shared.topics().commandResults()).isEqualTo("patchbay.command-results");
        assertThat(shared.topicPartitions()).isEqualTo(3);
        assertThat(shared.schemaRegistryUrl()).isEqualTo("http://localhost:8081");
    }

    @Test
    void setSettingsOverrideTheDefaults() {
        Binder binder = binder(Map.of("patchbay.topic-prefix", "staging", "patchbay.schema-registry-url", "http://registry:8081",
                "patchbay.processor.max-batch", "50", "patchbay.processor.retention", "2s",
                "patchbay.processor.consumer-group", "group-b", "patchbay.processor.key-format", "avro",
                "patchbay.processor.fetch-max-wait", "5ms", "patchbay.processor.database-wait", "30s"));

        ProcessorProperties processor = binder.bindOrCreate("patchbay.processor", ProcessorProperties.class);
        PatchbayProperties shared = binder.bindOrCreate("patchbay", PatchbayProperties.class);

        assertThat(processor.maxBatch()).isEqualTo(50);
        assertThat(processor.retention()).isEqualTo(Duration.ofSeconds(2));
        assertThat(processor.consumerGroup()).isEqualTo("group-b");
        assertThat(processor.keyFormat()).isEqualTo(KeyFormat.AVRO);
        assertThat(processor.fetchMaxWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(processor.databaseWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(processor.concurrency()).isEqualTo(ProcessorProperties.DEFAULT_CONCURRENCY);
        assertThat(shared.topics().commandResults()).isEqualTo("staging.command-results");
        assertThat(shared.schemaRegistryUrl()).isEqualTo("http://registry:8081");
    }

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }
}
