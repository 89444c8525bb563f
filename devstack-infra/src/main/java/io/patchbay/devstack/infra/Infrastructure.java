package io.patchbay.devstack.infra;

/**
 * The three real parts patchbay runs on: a Kafka broker, PostgreSQL and a Confluent-API schema registry. Two
 * implementations: {@link EmbeddedInfrastructure} (in-process and child processes on loopback, the default) and
 * containers (Testcontainers, {@code -Pcontainers}); {@link SharedInfrastructure} picks one per test JVM.
 */
public interface Infrastructure extends AutoCloseable {

    /** The system property that selects the test infrastructure: {@value}, {@code embedded} or {@code containers}. */
    String SELECTION_PROPERTY = "patchbay.test.infrastructure";

    String bootstrapServers();

    /** The Confluent-compatible base URL, for {@code schema.registry.url}. */
    String registryUrl();

    /** Creates the database {@code name} unless it exists; returns its JDBC URL, credentials included. */
    String createDatabase(String name);

    @Override
    void close();
}
