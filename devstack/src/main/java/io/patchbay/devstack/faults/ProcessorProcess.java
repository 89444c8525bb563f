package io.patchbay.devstack.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.Poll;

/**
 * The processor as production runs it: its executable jar in a JVM of its own, configured by {@code --key=value}
 * arguments, so that it can be killed for real ({@link #kill()} is SIGKILL: no shutdown hook, no flush, no
 * offset commit) and started again.
 *
 * <p>The JVM runs under a small shell guard that reads this JVM's pipe: if the test JVM dies, even by SIGKILL,
 * the pipe closes and the guard kills the processor, so none is left behind.
 */
public final class ProcessorProcess implements AutoCloseable {

    /** System property naming the processor's executable jar. */
    public static final String EXEC_JAR_PROPERTY = "patchbay.processor.exec-jar";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> properties;
    private final Path logFile;
    private final int managementPort;
    private Process guard;
    private ProcessHandle jvm;
    private int starts;

    private ProcessorProcess(String name, Map<String, String> properties, Path logFile) {
        this.name = name;
        this.managementPort = FreePorts.find();
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put("server.port", String.valueOf(managementPort));
        this.logFile = logFile;
    }

    /** Starts a processor with these Spring properties (bootstrap servers, datasource, registry, topic prefix, ...). */
    public static ProcessorProcess start(String name, Map<String, String> properties, Path logDirectory) {
        ProcessorProcess process = new ProcessorProcess(name, properties, logDirectory.resolve(name + ".log"));
        process.launch();
        return process;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", locateExecJar().toString()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        String line = String.join(" ", command.stream().map(ProcessorProcess::shellQuote).toList());
        // The JVM is reaped as soon as it exits (wait); a watcher kills it when this JVM's pipe closes.
        String script = "exec 3<&0; " + line + " </dev/null & child=$!; echo \"guard: processor pid $child\"; "
                + "( while read -r _ <&3; do :; done; kill -9 $child 2>/dev/null ) & watcher=$!; "
                + "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, "=== " + name + " start " + (++starts) + " ===\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            guard = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start processor " + name, e);
        }
        jvm = Poll.value("the JVM of processor " + name, Duration.ofSeconds(10),
                () -> guard.toHandle().children().findFirst().orElse(null));
    }

    /** SIGKILL, now: the processor gets no chance to finish its batch, publish, or commit offsets. */
    public void kill() {
        jvm.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: Spring shuts down, the consumer leaves its group and commits what it finished. */
    public void stop() {
        jvm.destroy();
        awaitExit();
    }

    /** Starts the same processor again (same configuration and management port) after {@link #kill()} or {@link #stop()}. */
    public void restart() {
        if (jvm.isAlive()) {
            throw new IllegalStateException("processor " + name + " is still running");
        }
        launch();
    }

    private void awaitExit() {
        Poll.until("processor " + name + " exits", Duration.ofSeconds(60), () -> !jvm.isAlive());
        closeGuard();
    }

    private void closeGuard() {
        if (guard == null) {
            return;
        }
        try {
            OutputStream stdin = guard.getOutputStream();
            stdin.close();
        } catch (IOException e) {
            // the guard is gone already
        }
        Poll.until("the guard of processor " + name + " exits", Duration.ofSeconds(30), () -> !guard.isAlive());
    }

    public boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    /** The operating system process id of the processor's JVM. */
    public long pid() {
        return jvm.pid();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Base URL of the management server, for {@code /actuator/health}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The HTTP status of {@code /actuator/health} (200 UP, 503 DOWN), empty while the server does not answer. */
    public Optional<Integer> healthStatus() {
        return Health.status(managementUrl() + "/actuator/health");
    }

    /** Waits until the processor reports UP; fails early if its JVM exits. */
    public void awaitHealthy(Duration deadline) {
        Poll.until("processor " + name + " reports UP (log: " + logFile + ")", deadline, Duration.ofMillis(200), () -> {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("processor " + name + " exited during start; see " + logFile);
            }
            return healthStatus().filter(status -> status == 200).isPresent();
        });
    }

    static Path locateExecJar() {
        String configured = System.getProperty(EXEC_JAR_PROPERTY);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("processor").resolve("target");
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    Optional<Path> jar = files.filter(f -> f.getFileName().toString().matches("patchbay-processor-.*-exec\\.jar"))
                            .findFirst();
                    if (jar.isPresent()) {
                        return jar.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("The processor's executable jar is not built. Run './mvnw -pl processor -am package'"
                + " from the project root, or set -D" + EXEC_JAR_PROPERTY + "=<path to patchbay-processor-*-exec.jar>.");
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroyForcibly();
            Poll.until("processor " + name + " exits", Duration.ofSeconds(30), () -> !jvm.isAlive());
        }
        closeGuard();
    }

    /** Reading an actuator health endpoint. */
    public static final class Health {

        private Health() {
        }

        /** The HTTP status of a health URL, or empty when nothing answers within 5 s. */
        public static Optional<Integer> status(String url) {
            try {
                return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
