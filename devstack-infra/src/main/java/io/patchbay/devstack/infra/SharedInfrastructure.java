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

    private SharedInfrastructure() {
    }

    public static synchronized Infrastructure get() {
        if (instance == null) {
            Infrastructure started = Infrastructure.start(Infrastructure.Options.ephemeral());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-infrastructure-stop"));
            instance = started;
        }
        return instance;
    }

    /** A fresh database and topic prefix on the shared infrastructure, named after {@code hint}. */
    public static Namespace newNamespace(String hint) {
        Infrastructure infrastructure = get();
        String name = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                + "_" + NAMESPACES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        String jdbcUrl = infrastructure.postgres().createDatabase(name);
        return new Namespace(infrastructure, jdbcUrl, name.replace('_', '-'));
    }

    /**
     * A test's own slice of the shared infrastructure.
     *
     * @param topicPrefix prefix for every topic name, in place of {@code patchbay}
     */
    public record Namespace(Infrastructure infrastructure, String jdbcUrl, String topicPrefix) {

        public String bootstrapServers() {
            return infrastructure.kafka().bootstrapServers();
        }

        public String registryUrl() {
            return infrastructure.registry().url();
        }
    }
}
