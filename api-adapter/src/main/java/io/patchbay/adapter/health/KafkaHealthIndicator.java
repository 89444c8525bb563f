package io.patchbay.adapter.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.patchbay.adapter.command.OutcomeWaiter;

/**
 * {@code kafka} health: the brokers answer a cluster description within the timeout, and the outcome waiter
 * still reads the results topic. DOWN while the brokers are unreachable: PATCH requests then fail to publish
 * (500) and nothing is accepted that could be lost.
 */
public final class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final Admin admin;
    private final OutcomeWaiter waiter;
    private final Duration timeout;

    public KafkaHealthIndicator(Admin admin, OutcomeWaiter waiter, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.waiter = waiter;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        boolean reading = waiter.isReading();
        builder.status(reading ? "UP" : "DOWN").withDetail("brokers", nodes).withDetail("outcomeWaiterReading", reading);
    }
}
