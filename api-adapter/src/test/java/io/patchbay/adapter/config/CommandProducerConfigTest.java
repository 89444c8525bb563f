package io.patchbay.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.patchbay.adapter.AdapterProperties;

/** The command producer's settings are ones Kafka's own producer accepts, for any linger the adapter allows. */
class CommandProducerConfigTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 5, 9_999})
    void producerStartsWithAnyLingerShorterThanThePublishTimeout(long lingerMillis) {
        Map<String, Object> config = CommandConfiguration.commandProducerConfig(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"), properties(Duration.ofSeconds(10), lingerMillis));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.metrics()).isNotEmpty();
        }
        assertThat(config).containsEntry(ProducerConfig.LINGER_MS_CONFIG, (int) lingerMillis);
    }

    @Test
    void verdictFallsWithinThePublishTimeout() {
        Map<String, Object> config = CommandConfiguration.commandProducerConfig(Map.of(), properties(Duration.ofSeconds(3), 5));

        assertThat(config).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000L)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        assertThat((int) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) + 5).isLessThanOrEqualTo(3_000);
    }

    private static AdapterProperties properties(Duration publishTimeout, long lingerMillis) {
        return new AdapterProperties(null, null, null, null, "secret", 0, 0, publishTimeout, Duration.ofMillis(lingerMillis),
                null, null, null, null);
    }
}
