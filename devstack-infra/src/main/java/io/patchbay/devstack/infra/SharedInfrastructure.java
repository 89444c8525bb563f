package io.patchbay.devstack.infra;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Infrastructure} per JVM for integration tests, started on first use and stopped at exit: the embedded
 * one, or containers when the system property {@value Infrastructure#SELECTION_PROPERTY} is {@code containers}.
 * Test classes isolate themselves with a {@link Namespace} (their own database and topic prefix) or, when they need
 * PostgreSQL only, a {@linkplain #newDatabase database} of their own. In container mode without Docker these throw
 * {@link InfrastructureUnavailableException}, which the tests' extensions report as skipped.
 */
public final class SharedInfrastructure {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static EmbeddedInfrastructure embedded;
    private static PostgresServer postgresAlone;
    private static Thread postgresAloneStop;

    private SharedInfrastructure() {
    }

    /**
     * The JVM's embedded infrastructure, whatever the selection: for tests that stop and restart its parts (fault
     * injection) and need them in this JVM.
     */
    public static synchronized EmbeddedInfrastructure get() {
        if (embedded == null) {
            if (postgresAlone != null) {
                Runtime.getRuntime().removeShutdownHook(postgresAloneStop);
            }
            EmbeddedInfrastructure started = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Options.ephemeral(),
                    postgresAlone);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-infrastructure-stop"));
            embedded = started;
        }
        return embedded;
    }

    /** The selected infrastructure: embedded by default, containers in container mode. */
    public static Infrastructure selected() {
        return containerMode() ? ContainerInfrastructure.get() : get();
    }

    /**
     * A fresh database, named after {@code hint}, for tests that need PostgreSQL only: on the selected
     * infrastructure, whose embedded PostgreSQL starts alone (in about a second) unless the rest is running already.
     *
     * @return its JDBC URL, credentials included
     */
    public static synchronized String newDatabase(String hint) {
        String name = name(hint);
        if (containerMode() || embedded != null) {
            return selected().createDatabase(name);
        }
        if (postgresAlone == null) {
            PostgresServer started = PostgresServer.start(0, null);
            postgresAloneStop = new Thread(started::close, "shared-postgres-stop");
            Runtime.getRuntime().addShutdownHook(postgresAloneStop);
            postgresAlone = started;
        }
        return postgresAlone.createDatabase(name);
    }

    /** A fresh database and topic prefix, named after {@code hint}, on the selected infrastructure. */
    public static Namespace newNamespace(String hint) {
        String name = name(hint);
        Infrastructure infrastructure = selected();
        return new Namespace(infrastructure instanceof EmbeddedInfrastructure e ? e : null,
                infrastructure.createDatabase(name), name.replace('_', '-'), infrastructure.bootstrapServers(),
                infrastructure.registryUrl());
    }

    private static String name(String hint) {
        return hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                + "_" + NAMESPACES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    }

    private static boolean containerMode() {
        return "containers".equals(System.getProperty(Infrastructure.SELECTION_PROPERTY));
    }

    /**
     * A test's own slice of the shared infrastructure.
     *
     * @param infrastructure the embedded parts, for fault injection; null in container mode
     * @param topicPrefix prefix for every topic name, in place of {@code patchbay}
     */
    public record Namespace(EmbeddedInfrastructure infrastructure, String jdbcUrl, String topicPrefix,
                            String bootstrapServers, String registryUrl) {
    }
}
