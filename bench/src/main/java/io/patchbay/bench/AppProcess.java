package io.patchbay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.patchbay.devstack.infra.ThisJava;

/**
 * One of patchbay's apps run from its executable jar as a child JVM, so that its resident size is its own.
 * Like the schema registry of devstack it runs under a small shell guard that reads this JVM's pipe: when
 * the benchmark dies, even by SIGKILL, the pipe closes and the guard stops the app.
 */
public final class AppProcess implements AutoCloseable {

    private final String name;
    private final Process guard;
    private final Path log;
    private final long javaPid;

    private AppProcess(String name, Process guard, Path log, long javaPid) {
        this.name = name;
        this.guard = guard;
        this.log = log;
        this.javaPid = javaPid;
    }

    /** The executable jar of {@code module} ({@code <module>/target/*-exec.jar}). */
    public static Path execJar(Path projectDirectory, String module) {
        Path target = projectDirectory.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar in " + target
                            + "; build it with ./mvnw -B -DskipTests package -pl bench -am"));
        } catch (IOException e) {
            throw new IllegalStateException("no executable jar of " + module + " (" + target + " unreadable); build it with"
                    + " ./mvnw -B -DskipTests package -pl bench -am", e);
        }
    }

    /**
     * Starts {@code <java> <jvmOptions> -jar <jar> <args>} and waits until its log shows {@code readyMarker}
     * (Spring Boot's {@code Started <Application>}).
     */
    public static AppProcess start(String name, Path java, Path jar, List<String> jvmOptions, List<String> args,
                                   Path logDirectory, String readyMarker, Duration timeout) {
        List<String> javaArgs = new ArrayList<>(jvmOptions);
        javaArgs.add("-jar");
        javaArgs.add(jar.toString());
        javaArgs.addAll(args);
        return startJava(name, java, javaArgs, logDirectory, readyMarker, timeout);
    }

    /** The command line {@link #startJava} runs: {@code java}, this JVM's temporary directory, {@code javaArgs}. */
    public static List<String> javaCommand(Path java, List<String> javaArgs) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.addAll(javaArgs);
        return command;
    }

    /** As {@link #startJava(String, Path, List, Path, String, Duration)} on this JVM's own {@code java}. */
    public static AppProcess startJava(String name, List<String> javaArgs, Path logDirectory, String readyMarker,
                                       Duration timeout) {
        return startJava(name, ThisJava.executable(), javaArgs, logDirectory, readyMarker, timeout);
    }

    /**
     * Starts a child JVM of {@code java} with {@code javaArgs} (options, then {@code -jar} or a class path and a main
     * class, then arguments) and waits until its log shows {@code readyMarker}. The child's temporary files (Tomcat's
     * base directory, say) go where this JVM's go: under a test run, the module's {@code target/tmp}.
     */
    public static AppProcess startJava(String name, Path java, List<String> javaArgs, Path logDirectory,
                                       String readyMarker, Duration timeout) {
        List<String> command = javaCommand(java, javaArgs);
        String line = String.join(" ", command.stream().map(AppProcess::shellQuote).toList());
        String script = line + " </dev/null & child=$!; trap 'kill $child; wait $child; exit 0' TERM INT; "
                + "while read -r _; do :; done; kill $child; wait $child";
        Path log = logDirectory.resolve(name + ".log");
        Process guard;
        try {
            Files.createDirectories(logDirectory);
            Files.deleteIfExists(log);
            guard = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pid = -1;
        while (System.nanoTime() < deadline) {
            if (!guard.isAlive()) {
                throw new IllegalStateException(name + " exited with " + guard.exitValue() + "; see " + log);
            }
            if (pid < 0) {
                pid = guard.children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            } else if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                guard.destroy();
                throw new IllegalStateException(name + " exited during start; see " + log);
            }
            String text = read(log);
            if (text.contains("APPLICATION FAILED TO START") || text.contains("Application run failed")) {
                guard.destroy();
                throw new IllegalStateException(name + " failed to start; see " + log);
            }
            if (pid > 0 && text.contains(readyMarker)) {
                AppProcess app = new AppProcess(name, guard, log, pid);
                Runtime.getRuntime().addShutdownHook(new Thread(app::close, name + "-stop"));
                return app;
            }
            sleep(100);
        }
        guard.destroy();
        throw new IllegalStateException(name + " did not start within " + timeout + "; see " + log);
    }

    /** CPU seconds the app's JVM has used so far (-1 where unknown). */
    public double cpuSeconds() {
        return CpuMeter.processSeconds(javaPid);
    }

    /** Resident set size (VmRSS from /proc) in kB, or -1 when it cannot be read (not Linux, process gone). */
    public long rssKb() {
        return rssKb(javaPid);
    }

    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public long pid() {
        return javaPid;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /**
     * Whether the app's JVM still runs. A JVM that exited by itself stays a zombie until its guard reaps it, which
     * {@link ProcessHandle#isAlive} counts as alive: /proc tells them apart.
     */
    public boolean isAlive() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(javaPid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(javaPid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** The first line of the log containing {@code text}, if any. */
    public Optional<String> logLine(String text) {
        return read(log).lines().filter(l -> l.contains(text)).findFirst();
    }

    @Override
    public void close() {
        if (!guard.isAlive()) {
            return;
        }
        guard.destroy();
        try {
            if (!guard.waitFor(30, TimeUnit.SECONDS)) {
                ProcessHandle.of(javaPid).ifPresent(ProcessHandle::destroyForcibly);
                guard.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
