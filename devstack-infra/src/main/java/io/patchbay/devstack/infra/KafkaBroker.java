package io.patchbay.devstack.infra;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import kafka.server.BrokerServer;

/**
 * An in-process single-node KRaft Kafka broker on loopback.
 *
 * <p>Topics are created explicitly (auto-creation is off) so that a typo in a topic name fails loudly
 * instead of silently creating a one-partition topic.
 */
public final class KafkaBroker implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    private KafkaBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker on a free loopback port ({@link #bootstrapServers()} tells which). spring-kafka 4.1's KRaft
     * test kit does not take a fixed port.
     */
    public static KafkaBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3",
                "log.flush.interval.messages", "9223372036854775807"));
        broker.afterPropertiesSet();
        return new KafkaBroker(broker);
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Creates each topic that does not exist yet with the given partition count. */
    public void createTopics(Collection<String> names, int partitions) {
        NewTopic[] topics = names.stream()
                .filter(name -> !broker.getTopics().contains(name))
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toArray(NewTopic[]::new);
        if (topics.length > 0) {
            broker.addTopics(topics);
        }
    }

    /**
     * Stops the broker side of the node: its listener closes, its partition logs and the consumer-offsets
     * state are closed. The KRaft controller of the same node keeps running (the test kit cannot restart it
     * in place). Clients see connection refused until {@link #startBroker()}.
     */
    public void stopBroker() {
        broker.getCluster().brokers().values().forEach(BrokerServer::shutdown);
    }

    /**
     * Starts the broker again after {@link #stopBroker()}, on the same port (the test kit rebinds it) and with
     * the same log directories, and returns once the controller reports it ready.
     */
    public void startBroker() {
        broker.getCluster().brokers().values().forEach(BrokerServer::startup);
        try {
            broker.getCluster().waitForReadyBrokers();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the restarted broker did not become ready", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the restarted broker", e);
        }
    }

    /** The underlying broker, for fault injection in tests. */
    public EmbeddedKafkaKraftBroker embedded() {
        return broker;
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
