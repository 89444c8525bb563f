package io.patchbay.devstack.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The three parts as containers (Testcontainers): Kafka, PostgreSQL and Confluent's own Schema Registry. Selected
 * with {@code -Pcontainers}; without Docker it throws {@link InfrastructureUnavailableException}, which tests
 * report as skipped.
 */
final class ContainerInfrastructure implements Infrastructure {

    private static ContainerInfrastructure instance;

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final GenericContainer<?> registry;

    private ContainerInfrastructure() {
        Network network = Network.newNetwork();
        kafka = new KafkaContainer("apache/kafka-native:4.1.0").withNetwork(network).withListener("kafka:19092");
        postgres = new PostgreSQLContainer("postgres:17-alpine");
        registry = new GenericContainer<>("confluentinc/cp-schema-registry:7.8.0")
                .withNetwork(network)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
        kafka.start();
        postgres.start();
        registry.dependsOn(kafka).start();
    }

    static synchronized ContainerInfrastructure get() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new InfrastructureUnavailableException("container mode needs Docker, which is not available here");
        }
        if (instance == null) {
            instance = new ContainerInfrastructure();
        }
        return instance;
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }

    @Override
    public String createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())) {
            connection.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return String.format("jdbc:postgresql://%s:%d/%s?user=%s&password=%s", postgres.getHost(),
                postgres.getMappedPort(5432), name, postgres.getUsername(), postgres.getPassword());
    }

    /** The containers live as long as the JVM; Testcontainers' reaper removes them. */
    @Override
    public void close() {
    }
}
