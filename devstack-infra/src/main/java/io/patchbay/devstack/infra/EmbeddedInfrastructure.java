package io.patchbay.devstack.infra;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The three real parts patchbay runs on, started together on loopback in this JVM and its children: the in-process
 * KRaft broker, embedded PostgreSQL and the Apicurio registry. Devstack, the bench and (by default) every integration
 * test use it; nothing is mocked. Its parts can be stopped and restarted for fault injection.
 */
public final class EmbeddedInfrastructure implements Infrastructure {

    /**
     * Where and how to start. Ports of 0 pick free ones (Kafka always takes a free one); a {@code dataDirectory}
     * keeps database and registry state between runs; logs of the registry child process go to {@code logDirectory}.
     */
    public record Options(int postgresPort, int registryPort, Path dataDirectory, Path logDirectory) {

        /** Free ports, nothing kept, logs under the system temp directory. */
        public static Options ephemeral() {
            return new Options(0, 0, null, Path.of(System.getProperty("java.io.tmpdir"), "patchbay-logs"));
        }
    }

    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final SchemaRegistryProcess registry;

    private EmbeddedInfrastructure(KafkaBroker kafka, PostgresServer postgres, SchemaRegistryProcess registry) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
    }

    /** Starts all three in parallel (about 3 s warm) and returns when each one answers. */
    public static EmbeddedInfrastructure start(Options options) {
        return start(options, null);
    }

    /** Starts the broker and the registry beside {@code running} PostgreSQL, or all three when it is null. */
    static EmbeddedInfrastructure start(Options options, PostgresServer running) {
        Path data = options.dataDirectory();
        var registry = CompletableFuture.supplyAsync(() -> SchemaRegistryProcess.start(options.registryPort(),
                data == null ? null : data.resolve("registry"),
                options.logDirectory() == null ? null : options.logDirectory().resolve("schema-registry.log")));
        var postgres = running != null ? CompletableFuture.completedFuture(running)
                : CompletableFuture.supplyAsync(() -> PostgresServer.start(options.postgresPort(),
                        data == null ? null : data.resolve("postgres")));
        try {
            KafkaBroker kafka = KafkaBroker.start();
            return new EmbeddedInfrastructure(kafka, postgres.join(), registry.join());
        } catch (CompletionException e) {
            registry.thenAccept(SchemaRegistryProcess::close);
            postgres.thenAccept(PostgresServer::close);
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return registry.url();
    }

    @Override
    public String createDatabase(String name) {
        return postgres.createDatabase(name);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public SchemaRegistryProcess registry() {
        return registry;
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
        postgres.close();
    }
}
