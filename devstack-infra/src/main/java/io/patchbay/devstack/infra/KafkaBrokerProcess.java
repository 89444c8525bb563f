package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) in a JVM of its own, started from the
 * {@code kafka_2.13} jars on this JVM's class path ({@code kafka.Kafka}, toolchain.md §3.2), so that it can be
 * stopped for real: {@link #kill()} is SIGKILL (the next start recovers its logs), {@link #stop()} SIGTERM (a
 * controlled shutdown). Its data directory and ports survive restarts.
 *
 * <p>It has two client listeners: {@code PLAINTEXT} on {@link #bootstrapServers()} for clients that must see the
 * broker directly, and {@code PROXIED}, which advertises {@code proxiedAdvertisedPort}: clients that bootstrap
 * there reach the broker only through whatever listens on that port (a fault-injecting proxy), metadata included.
 *
 * <p>It runs as a {@link GuardedProcess}, so it dies with this JVM.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    /** This JVM's: its class path, which the broker runs on, may name relative paths. */
    private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();

    private final Path directory;
    private final Path logFile;
    private final int port;
    private final int proxiedPort;
    private final int controllerPort;
    private GuardedProcess jvm;
    private int starts;

    private KafkaBrokerProcess(Path directory, int proxiedAdvertisedPort) {
        this.directory = directory;
        this.logFile = directory.resolve("broker.log");
        this.port = FreePorts.find();
        this.proxiedPort = FreePorts.find();
        this.controllerPort = FreePorts.find();
        writeConfiguration(proxiedAdvertisedPort);
    }

    /**
     * Formats a fresh data directory under {@code directory} and starts the broker; returns once it answers.
     *
     * @param proxiedAdvertisedPort the port the {@code PROXIED} listener advertises (where its proxy listens)
     */
    public static KafkaBrokerProcess start(Path directory, int proxiedAdvertisedPort) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(directory, proxiedAdvertisedPort);
        broker.format();
        broker.launch();
        return broker;
    }

    /** The direct listener, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Where the {@code PROXIED} listener really listens: the proxy's upstream. */
    public int proxiedListenerPort() {
        return proxiedPort;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    /** SIGKILL: no controlled shutdown, no flush; the next {@link #restart()} recovers the logs. */
    public void kill() {
        jvm.close();
    }

    /** SIGTERM: a controlled shutdown. */
    public void stop() {
        jvm.stop();
    }

    /** Starts the broker again on the same ports and data after {@link #kill()} or {@link #stop()}. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        launch();
    }

    private void writeConfiguration(int proxiedAdvertisedPort) {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",PROXIED://127.0.0.1:" + proxiedPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",PROXIED://127.0.0.1:" + proxiedAdvertisedPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data").toAbsolutePath(),
                "auto.create.topics.enable=false",
                "num.partitions=3",
                "offsets.topic.num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        String logback = """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="INFO"/>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """;
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("server.properties"), properties);
            Files.writeString(directory.resolve("logback.xml"), logback);
            Files.writeString(directory.resolve("log4j2.properties"), "rootLogger.level=WARN\nrootLogger.appenderRef.out.ref=out\n"
                    + "appender.out.type=Console\nappender.out.name=out\nappender.out.layout.type=PatternLayout\n"
                    + "appender.out.layout.pattern=%d{HH:mm:ss.SSS} %-5p %c{1.} - %m%n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format() {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<String> command = javaCommand("kafka.tools.StorageTool",
                List.of("format", "-t", clusterId, "-c", directory.resolve("server.properties").toString()));
        GuardedProcess.Exit exit = GuardedProcess.start("kafka storage format", command, System.getenv(), WORKING_DIRECTORY,
                logFile, false).awaitExit(Duration.ofMinutes(2));
        if (exit.status() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed; see " + logFile);
        }
    }

    private void launch() {
        List<String> command = javaCommand("kafka.Kafka", List.of(directory.resolve("server.properties").toString()));
        try {
            Files.writeString(logFile, "=== broker start " + (++starts) + " ===\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker", e);
        }
        jvm = GuardedProcess.start("kafka broker", command, System.getenv(), WORKING_DIRECTORY, logFile, false);
        awaitReady(Duration.ofMinutes(10));
    }

    private void awaitReady(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", 3000,
                "default.api.timeout.ms", 5000))) {
            while (System.nanoTime() < end) {
                if (!jvm.isAlive()) {
                    throw new IllegalStateException("the broker exited during start; see " + logFile);
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                }
            }
        }
        throw new IllegalStateException("the broker did not answer within " + deadline + "; see " + logFile);
    }

    /**
     * {@code java … <mainClass> <args>} on this JVM's class path; inside a Spring Boot executable jar, through its
     * {@code PropertiesLauncher} with {@code loader.main}. The class path goes in an argument file.
     */
    private List<String> javaCommand(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ThisJava.executable().toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml").toAbsolutePath(),
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties").toAbsolutePath()));
        String classPath = System.getProperty("java.class.path");
        Path argFile = directory.resolve("classpath.args");
        try {
            Files.writeString(argFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.add("@" + argFile.toAbsolutePath());
        if (isBootJar(classPath)) {
            command.add("-Dloader.main=" + mainClass);
            command.add(LAUNCHER);
        } else {
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    private static boolean isBootJar(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (var jar = new java.util.jar.JarFile(classPath)) {
            var manifest = jar.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            return main != null && main.startsWith("org.springframework.boot.loader");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.close();
        }
    }
}
