package io.patchbay.devstack.infra;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Infrastructure} per JVM for integration tests, started on first use and stopped at exit.
 * Test classes isolate themselves with a {@link Namespace}: their own database and topic prefix.
 */
public final class SharedInfrastructure {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static Infrastructure instance;
    private static PostgresServer postgresAlone;
    private static Thread postgresAloneStop;

    private SharedInfrastructure() {
    }

    public static synchronized Infrastructure get() {
        if (instance == null) {
            if (postgresAlone != null) {
                Runtime.getRuntime().removeShutdownHook(postgresAloneStop);
            }
            Infrastructure started = Infrastructure.start(Infrastructure.Options.ephemeral(), postgresAlone);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-infrastructure-stop"));
            instance = started;
        }
        return instance;
    }

    /**
     * A fresh database, named after {@code hint}, for tests that need PostgreSQL only: on the shared embedded
     * server, which starts alone (in about a second) unless the whole infrastructure is running already, or on
     * containers in container mode.
     *
     * @return its JDBC URL, for user {@link PostgresServer#USER}
     */
    public static synchronized String newDatabase(String hint) {
        String name = name(hint);
        if (containerMode()) {
            return ContainerInfrastructure.get().createDatabase(name);
        }
        if (instance != null) {
            return instance.postgres().createDatabase(name);
        }
        if (postgresAlone == null) {
            PostgresServer started = PostgresServer.start(0, null);
            postgresAloneStop = new Thread(started::close, "shared-postgres-stop");
            Runtime.getRuntime().addShutdownHook(postgresAloneStop);
            postgresAlone = started;
        }
        return postgresAlone.createDatabase(name);
    }

    /**
     * A fresh database and topic prefix, named after {@code hint}, on the shared embedded infrastructure, or on
     * containers when the system property {@code patchbay.test.infrastructure} is {@code containers}.
     */
    public static Namespace newNamespace(String hint) {
        String name = name(hint);
        if (containerMode()) {
            ContainerInfrastructure containers = ContainerInfrastructure.get();
            return new Namespace(null, containers.createDatabase(name), name.replace('_', '-'),
                    containers.kafka.getBootstrapServers(), containers.registryUrl());
        }
        Infrastructure infrastructure = get();
        return new Namespace(infrastructure, infrastructure.postgres().createDatabase(name), name.replace('_', '-'),
                infrastructure.kafka().bootstrapServers(), infrastructure.registry().url());
    }

    private static String name(String hint) {
        return hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                + "_" + NAMESPACES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    }

    private static boolean containerMode() {
        return "containers".equals(System.getProperty("patchbay.test.infrastructure"));
    }

    /**
     * A test's own slice of the shared infrastructure.
     *
     * @param infrastructure the embedded parts, for fault injection; null in container mode
     * @param topicPrefix prefix for every topic name, in place of {@code patchbay}
     */
    public record Namespace(Infrastructure infrastructure, String jdbcUrl, String topicPrefix, String bootstrapServers,
                            String registryUrl) {
    }
}
