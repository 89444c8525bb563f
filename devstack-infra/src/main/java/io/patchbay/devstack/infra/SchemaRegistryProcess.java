package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Confluent-API schema registry (Apicurio Registry 2.4.2, built by the {@code registry-runner} module) run
 * as a child process on loopback.
 *
 * <p>The child runs under a small shell guard that reads the parent's pipe: when this JVM dies, even by
 * SIGKILL, the pipe closes and the guard stops the registry, so no orphan is left behind. The guard exits
 * when the registry does, so a registry that dies at start is reported at once.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** System property naming the runner's {@code quarkus-run.jar}. */
    public static final String RUNNER_JAR_PROPERTY = "patchbay.registry.runner-jar";

    private static final String RUNNER_RELATIVE_PATH = "registry-runner/target/quarkus-app/quarkus-run.jar";

    private final int port;
    private final Path runnerJar;
    private final Path dataDirectory;
    private final Path logFile;
    private Process process;

    private SchemaRegistryProcess(int port, Path runnerJar, Path dataDirectory, Path logFile) {
        this.port = port;
        this.runnerJar = runnerJar;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
    }

    /**
     * Starts the registry on {@code port} (0 picks a free one) and waits until it answers. With a
     * {@code dataDirectory} schemas survive restarts (H2 file storage); without one they live in memory.
     */
    public static SchemaRegistryProcess start(int port, Path dataDirectory, Path logFile) {
        SchemaRegistryProcess registry = new SchemaRegistryProcess(
                port > 0 ? port : FreePorts.find(), locateRunnerJar(), dataDirectory, logFile);
        registry.startProcess();
        return registry;
    }

    /** Confluent-compatible base URL, for {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    /** Stops the registry and starts it again on the same port (state survives only with a data directory). */
    public void restart() {
        stopProcess();
        startProcess();
    }

    /** Stops the process; {@link #restart()} brings it back. */
    public void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    /** Starts the process again after {@link #stopProcess()} and waits until it answers. */
    public void startProcess() {
        List<String> java = new ArrayList<>(List.of(
                ThisJava.executable().toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dregistry.rules.global.compatibility=BACKWARD"));
        if (dataDirectory != null) {
            java.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("registry")
                    + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        java.add("-jar");
        java.add(runnerJar.toString());
        String command = String.join(" ", java.stream().map(SchemaRegistryProcess::shellQuote).toList());
        String guard = "exec 3<&0; " + command + " </dev/null & child=$!; "
                + "trap 'kill $child 2>/dev/null' TERM INT; "
                + "(while read -r _; do :; done; kill $child 2>/dev/null) <&3 & "
                + "while kill -0 $child 2>/dev/null; do wait $child; done";
        try {
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
            }
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", guard).redirectErrorStream(true);
            builder.redirectOutput(logFile == null
                    ? ProcessBuilder.Redirect.DISCARD
                    : ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the schema registry", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopProcess, "schema-registry-stop"));
        awaitReady(Duration.ofSeconds(90));
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("schema registry exited with " + process.exitValue()
                        + (logFile == null ? "" : "; see " + logFile));
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            sleepQuietly(100);
        }
        stopProcess();
        throw new IllegalStateException("schema registry did not answer within " + timeout
                + (logFile == null ? "" : "; see " + logFile));
    }

    static Path locateRunnerJar() {
        String configured = System.getProperty(RUNNER_JAR_PROPERTY);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RUNNER_RELATIVE_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The schema registry runner is not built. Run './mvnw -pl registry-runner package'"
                + " from the project root, or set -D" + RUNNER_JAR_PROPERTY + "=<path to quarkus-run.jar>.");
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopProcess();
    }
}
