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
 *
 * <p>The heartbeat is also how a member learns that a rebalance began (a member joined or left): until it rejoins, the
 * rebalance waits, and a member that joins waits for its partitions. So it is {@link #HEARTBEAT} (a third of the session
 * when the session is shorter than three of them): a second adapter leased its reply partition 1.5-2.0 s after its
 * context was up, against 5.4-6.6 s with a heartbeat of a third of the 10 s session (RELIABILITY.md, finding 8).
 */
public final class ConsumerGroupSession {

    /** The session, unless {@code spring.kafka.consumer.properties.session.timeout.ms} says otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The heartbeat, unless {@code spring.kafka.consumer.properties.heartbeat.interval.ms} says otherwise. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private ConsumerGroupSession() {
    }

    /**
     * Sets, where {@code config} sets neither, the session to {@link #TIMEOUT} and the heartbeat to {@link #HEARTBEAT}
     * or a third of the session in force, whichever is shorter.
     */
    public static void applyDefault(Map<String, Object> config) {
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        long session = Long.parseLong(config.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG).toString());
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(HEARTBEAT.toMillis(), session / 3));
    }
}
