package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.OutputStream;
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
 * <p>Like the other child processes it runs under a shell guard that reads this JVM's pipe, so it dies with this JVM.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Path directory;
    private final Path logFile;
    private final int port;
    private final int proxiedPort;
    private final int controllerPort;
    private Process guard;
    private ProcessHandle jvm;
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
        jvm.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: a controlled shutdown. */
    public void stop() {
        jvm.destroy();
        awaitExit();
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
        try {
            Process format = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the broker's storage failed; see " + logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not format the broker's storage", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        List<String> command = javaCommand("kafka.Kafka", List.of(directory.resolve("server.properties").toString()));
        String line = String.join(" ", command.stream().map(KafkaBrokerProcess::shellQuote).toList());
        String script = "exec 3<&0; " + line + " </dev/null & child=$!; "
                + "( while read -r _ <&3; do :; done; kill -9 $child 2>/dev/null ) & watcher=$!; "
                + "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";
        try {
            Files.writeString(logFile, "=== broker start " + (++starts) + " ===\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            guard = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker", e);
        }
        jvm = awaitChild();
        awaitReady(Duration.ofMinutes(10));
    }

    private ProcessHandle awaitChild() {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            var child = guard.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new IllegalStateException("the broker's JVM did not start; see " + logFile);
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

    private void awaitExit() {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jvm.isAlive() && System.nanoTime() < end) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        if (jvm.isAlive()) {
            jvm.destroyForcibly();
        }
        closeGuard();
    }

    private void closeGuard() {
        if (guard == null) {
            return;
        }
        try {
            OutputStream stdin = guard.getOutputStream();
            stdin.close();
            guard.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the guard is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code java … <mainClass> <args>} on this JVM's class path; inside a Spring Boot executable jar, through its
     * {@code PropertiesLauncher} with {@code loader.main}. The class path goes in an argument file.
     */
    private List<String> javaCommand(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
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

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroyForcibly();
            awaitExit();
        }
        closeGuard();
    }
}
