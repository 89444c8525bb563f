package io.patchbay.devstack.production;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import io.patchbay.devstack.infra.GuardedProcess;
import io.patchbay.devstack.infra.ThisJava;

/**
 * A single-node KRaft broker process from the {@code kafka_2.13} jars on this JVM's class path (toolchain.md §3.2),
 * configured the way the {@code apache/kafka} image configures itself from its environment: every {@code KAFKA_*}
 * variable becomes a broker property ({@code KAFKA_LOG_DIRS} → {@code log.dirs}; {@code __} → {@code _}, {@code ___}
 * → {@code -}), and {@code CLUSTER_ID} formats the storage.
 */
final class StandaloneKafka implements AutoCloseable {

    private static final String LOGBACK = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="out"/></root>
            </configuration>
            """;

    private final GuardedProcess process;
    private final String bootstrapServers;

    private StandaloneKafka(GuardedProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** The broker properties the image would derive from {@code environment}. */
    static Map<String, String> properties(Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && !List.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_LOG4J_OPTS")
                    .contains(name)) {
                String property = name.substring(6).toLowerCase(Locale.ROOT)
                        .replace("___", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
                properties.put(property, value);
            }
        });
        return properties;
    }

    /**
     * Formats {@code directory}'s storage for {@code clusterId} and starts the broker with {@code properties}; returns
     * once it answers on {@code bootstrapServers}.
     */
    static StandaloneKafka start(Map<String, String> properties, String clusterId, String bootstrapServers, Path directory) {
        Path config = directory.resolve("server.properties");
        Path logFile = directory.resolve("broker.log");
        try {
            Files.createDirectories(directory);
            StringBuilder text = new StringBuilder();
            properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(config, text);
            Files.writeString(directory.resolve("logback.xml"), LOGBACK);
            Files.writeString(directory.resolve("classpath.args"),
                    "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GuardedProcess.Exit format = GuardedProcess.start("kafka storage format",
                java(directory, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()),
                Map.of(), directory, logFile, false).awaitExit(Duration.ofMinutes(2));
        if (format.status() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed; see " + logFile);
        }
        GuardedProcess broker = GuardedProcess.start("kafka broker", java(directory, "kafka.Kafka", config.toString()),
                Map.of(), directory, logFile, false);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 3000,
                "default.api.timeout.ms", 5000))) {
            broker.awaitReady(Duration.ofMinutes(3), () -> {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return new StandaloneKafka(broker, bootstrapServers);
    }

    private static List<String> java(Path directory, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ThisJava.executable().toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml").toAbsolutePath(),
                "@" + directory.resolve("classpath.args").toAbsolutePath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.stop();
    }
}
