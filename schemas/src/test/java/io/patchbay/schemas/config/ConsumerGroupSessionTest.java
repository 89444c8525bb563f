package io.patchbay.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class ConsumerGroupSessionTest {

    @Test
    void unsetSessionAndHeartbeatBecomeTenSecondsAndOneSecond() {
        Map<String, Object> config = new HashMap<>();

        ConsumerGroupSession.applyDefault(config);

        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    }

    @Test
    void sessionSetByTheOperatorKeepsItsValueAndGetsTheOneSecondHeartbeat() {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000"));

        ConsumerGroupSession.applyDefault(config);

        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    }

    @Test
    void sessionShorterThanThreeHeartbeatsGetsAThirdOfIt() {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 2_400));

        ConsumerGroupSession.applyDefault(config);

        assertThat(config).containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 800);
    }

    @Test
    void heartbeatSetByTheOperatorIsKept() {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000"));

        ConsumerGroupSession.applyDefault(config);

        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    }
}
