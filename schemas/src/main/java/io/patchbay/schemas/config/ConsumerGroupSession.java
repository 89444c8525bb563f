package io.patchbay.schemas.config;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer session of patchbay's consumer groups (the processors' commands group, the adapters' replies group):
 * how long a group keeps the partitions of a member that stopped heartbeating (killed, frozen, cut off) before another
 * member, or the member's restarted self, may take them. Kafka's default (45 s) held a killed processor's commands for
 * 46-47 s, and kept a restarted adapter waiting past its 30 s wait for a reply partition at start (RELIABILITY.md,
 * findings 6 and 7). Heartbeats come from the consumer's own thread, so a long batch does not count against it (that
 * is {@code max.poll.interval.ms}).
 */
public final class ConsumerGroupSession {

    /** The session, unless {@code spring.kafka.consumer.properties.session.timeout.ms} says otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ConsumerGroupSession() {
    }

    /** Sets the session and a heartbeat of a third of it in a consumer's {@code config}, where it sets neither. */
    public static void applyDefault(Map<String, Object> config) {
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) TIMEOUT.toMillis() / 3);
    }
}
