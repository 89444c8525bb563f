package io.patchbay.processor.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * {@code kafka} health: the brokers answer a cluster description within the timeout, and the commands listener
 * container runs. DOWN while the brokers are unreachable (the processor keeps retrying meanwhile).
 */
public final class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final Admin admin;
    private final KafkaListenerEndpointRegistry listeners;
    private final String listenerId;
    private final Duration timeout;

    public KafkaHealthIndicator(Admin admin, KafkaListenerEndpointRegistry listeners, String listenerId, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.listeners = listeners;
        this.listenerId = listenerId;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        MessageListenerContainer container = listeners.getListenerContainer(listenerId);
        boolean running = container != null && container.isRunning();
        builder.status(running ? "UP" : "DOWN").withDetail("brokers", nodes).withDetail("commandsListenerRunning", running);
    }
}
