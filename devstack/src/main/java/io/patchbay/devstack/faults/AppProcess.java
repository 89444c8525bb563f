package io.patchbay.devstack.faults;

import java.io.IOException;
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
import io.patchbay.devstack.infra.GuardedProcess;
import io.patchbay.devstack.infra.ThisJava;
import io.patchbay.devstack.launch.ClassDataArchive;
import io.patchbay.devstack.launch.ExtractedJar;

/**
 * One of patchbay's apps as production runs it: its executable jar in a JVM of its own, configured by
 * {@code --key=value} arguments, so that it can be killed for real ({@link #kill()} is SIGKILL: no shutdown hook,
 * no flush, no offset commit), paused ({@link #pause()} is SIGSTOP) and started again on the same port.
 *
 * <p>The jar runs as Spring Boot recommends for production, extracted ({@link ExtractedJar}), with a class-data
 * sharing archive of its start ({@link ClassDataArchive}). The JVM runs as a
 * {@link GuardedProcess}: if the test JVM dies, even by SIGKILL, the app dies with it.
 */
public final class AppProcess implements AutoCloseable {

    /** Which app, and where its executable jar is. */
    public enum App {
        PROCESSOR("processor", "patchbay-processor-.*-exec\\.jar", "patchbay.processor.exec-jar"),
        ADAPTER("api-adapter", "patchbay-api-adapter-.*-exec\\.jar", "patchbay.adapter.exec-jar");

        private final String module;
        private final String jarPattern;
        /** System property naming the app's executable jar. */
        public final String execJarProperty;

        App(String module, String jarPattern, String execJarProperty) {
            this.module = module;
            this.jarPattern = jarPattern;
            this.execJarProperty = execJarProperty;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final App app;
    private final String name;
    private final Map<String, String> properties;
    private final Path logFile;
    private final int port;
    private GuardedProcess jvm;
    private List<String> command = List.of();
    private volatile boolean paused;
    private int starts;

    private AppProcess(App app, String name, Map<String, String> properties, Path logFile) {
        this.app = app;
        this.name = name;
        this.properties = new LinkedHashMap<>(properties);
        this.port = Integer.parseInt(this.properties.computeIfAbsent("server.port", k -> String.valueOf(FreePorts.find())));
        this.logFile = logFile;
    }

    /**
     * Starts {@code app} with these Spring properties (bootstrap servers, datasource, registry, topic prefix, ...);
     * {@code server.port} is a free one unless given. Returns at once; see {@link #awaitHealthy(Duration)}. The app's
     * temporary files (Tomcat's base directory, say) go where this JVM's go: under a test run, {@code target/tmp}.
     */
    public static AppProcess start(App app, String name, Map<String, String> properties, Path logDirectory) {
        AppProcess process = create(app, name, properties, logDirectory);
        process.launch();
        return process;
    }

    /** Like {@link #start}, but the JVM starts only at {@link #launch()}. */
    public static AppProcess create(App app, String name, Map<String, String> properties, Path logDirectory) {
        return new AppProcess(app, name, properties, logDirectory.resolve(name + ".log"));
    }

    /** Starts the JVM (again, after {@link #kill()} or {@link #stop()}: same configuration and port). */
    public void launch() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        Path jar = ExtractedJar.runnable(locateExecJar(app));
        List<String> command = new ArrayList<>(List.of(
                ThisJava.executable().toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar", jar.toString()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        command.addAll(command.indexOf("-jar"),
                ClassDataArchive.options(jar, command, logFile.resolveSibling(app.module + "-cds-training.log")));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, "=== " + name + " start " + (++starts) + " ===\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        paused = false;
        this.command = List.copyOf(command);
        jvm = GuardedProcess.start(name, command, System.getenv(), Path.of("").toAbsolutePath(), logFile, false);
    }

    /** The command line of the latest {@link #launch()}: {@code java}, its options, {@code -jar}, the app's arguments. */
    List<String> command() {
        return command;
    }

    /** SIGKILL, now: the app gets no chance to finish a batch or a request, publish, or commit offsets. */
    public void kill() {
        jvm.close();
    }

    /** SIGTERM: Spring shuts down; a processor leaves its group and commits what it finished. */
    public void stop() {
        if (paused) {
            resume();
        }
        jvm.stop();
    }

    /** SIGSTOP: the JVM freezes (no heartbeats, no requests answered) with its connections and transactions open. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(jvm.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + jvm.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    public boolean isPaused() {
        return paused;
    }

    /** The operating system process id of the app's JVM. */
    public long pid() {
        return jvm.pid();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The port of the app's HTTP server on loopback, the same across restarts. */
    public int port() {
        return port;
    }

    /** Base URL of the app's HTTP server: the API of an adapter, the management server of a processor. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP status of {@code /actuator/health} (200 UP, 503 DOWN), empty while the server does not answer. */
    public Optional<Integer> healthStatus() {
        return Health.status(baseUrl() + "/actuator/health");
    }

    /** Waits until the app reports UP; fails early if its JVM exits. */
    public void awaitHealthy(Duration deadline) {
        Poll.until(name + " reports UP (log: " + logFile + ")", deadline, Duration.ofMillis(200), () -> {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(name + " exited during start; see " + logFile);
            }
            return healthStatus().filter(status -> status == 200).isPresent();
        });
    }

    /** The executable jar of {@code app}: its system property's path, else the one its module built. */
    public static Path locateExecJar(App app) {
        String configured = System.getProperty(app.execJarProperty);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve(app.module).resolve("target");
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    Optional<Path> jar = files.filter(f -> f.getFileName().toString().matches(app.jarPattern)).findFirst();
                    if (jar.isPresent()) {
                        return jar.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("The executable jar of " + app.module + " is not built. Run './mvnw -pl "
                + app.module + " -am package' from the project root, or set -D" + app.execJarProperty + "=<path>.");
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.close();
        }
    }

    /** Reading an actuator health endpoint. */
    public static final class Health {

        private Health() {
        }

        /** The HTTP status of a health URL, or empty when nothing answers within 10 s. */
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
