package io.patchbay.devstack.infra;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

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

    /** The underlying broker, for fault injection in tests. */
    public EmbeddedKafkaKraftBroker embedded() {
        return broker;
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
