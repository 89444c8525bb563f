package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A command run as a child process under a small shell guard that reads this JVM's pipe: when this JVM dies, even by
 * SIGKILL, the pipe closes and the guard kills the child, so no process is left behind. The child gets exactly the
 * environment given (nothing of this JVM's), so that a process configured by its environment sees only that.
 */
public final class GuardedProcess implements AutoCloseable {

    private final String name;
    private final Process guard;
    private final ProcessHandle child;
    private final Path logFile;
    private final CompletableFuture<String> stdout;

    private GuardedProcess(String name, Process guard, ProcessHandle child, Path logFile, CompletableFuture<String> stdout) {
        this.name = name;
        this.guard = guard;
        this.child = child;
        this.logFile = logFile;
        this.stdout = stdout;
    }

    /**
     * Starts {@code command} (its first element an absolute path) in {@code workingDirectory} with exactly
     * {@code environment}. Its stderr, and its stdout unless {@code captureStdout}, are appended to {@code logFile};
     * captured stdout is read with {@link #awaitExit}.
     */
    public static GuardedProcess start(String name, List<String> command, Map<String, String> environment,
                                       Path workingDirectory, Path logFile, boolean captureStdout) {
        String line = String.join(" ", command.stream().map(GuardedProcess::shellQuote).toList());
        String script = "exec 3<&0; " + line + " </dev/null & child=$!; "
                + "( while read -r _ <&3; do :; done; kill -9 $child 2>/dev/null ) & watcher=$!; "
                + "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.redirectOutput(captureStdout ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process guard;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            guard = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        CompletableFuture<String> stdout = captureStdout ? CompletableFuture.supplyAsync(() -> readAll(guard.getInputStream()))
                : CompletableFuture.completedFuture("");
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            var child = guard.toHandle().children().findFirst();
            if (child.isPresent()) {
                return new GuardedProcess(name, guard, child.get(), logFile, stdout);
            }
            if (!guard.isAlive()) {
                throw new IllegalStateException(name + " exited at once with " + guard.exitValue() + "; see " + logFile);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        guard.destroyForcibly();
        throw new IllegalStateException(name + " did not start; see " + logFile);
    }

    /** What a finished one-shot command did. */
    public record Exit(int status, String stdout) {
    }

    /** Waits for the command to end; fails after {@code deadline}. */
    public Exit awaitExit(Duration deadline) {
        try {
            if (!guard.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException(name + " did not finish within " + deadline + "; see " + logFile);
            }
            return new Exit(guard.exitValue(), stdout.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("reading the output of " + name, e);
        }
    }

    /** Polls {@code ready} until it holds; fails at the deadline or as soon as the process exits. */
    public void awaitReady(Duration deadline, BooleanSupplier ready) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!ready.getAsBoolean()) {
            if (!child.isAlive()) {
                throw new IllegalStateException(name + " exited during start; the end of " + logFile + ":\n" + logTail());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(name + " was not ready within " + deadline + "; the end of " + logFile
                        + ":\n" + logTail());
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** The last 30 lines of the log, for failure messages (the log may be gone by the time someone reads them). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** The operating system process id of the command (not of its guard), e.g. to signal it. */
    public long pid() {
        return child.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM, then SIGKILL if it has not ended within 30 s. */
    public void stop() {
        child.destroy();
        try {
            child.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.destroyForcibly();
        }
        close();
    }

    @Override
    public void close() {
        if (child.isAlive()) {
            child.destroyForcibly();
        }
        try {
            guard.getOutputStream().close();
            if (!guard.waitFor(30, TimeUnit.SECONDS)) {
                guard.destroyForcibly();
            }
        } catch (IOException e) {
            // the guard is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
