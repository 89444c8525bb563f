package io.patchbay.devstack.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.patchbay.devstack.infra.GuardedProcess;

/**
 * A class-data sharing archive of an extracted app ({@link ExtractedJar}), the start-up aid Spring Boot documents for
 * its extracted layout: the JVM maps the classes the app loads at start from one file instead of loading, verifying
 * and parsing them from the jars. A processor started in 2.9-3.5 s with it against 5.4-6.2 s without (the benchmark's
 * drain processor, {@code --smoke --phases drain}, two runs each), and the fault tests, the campaign and the
 * benchmark's smoke run start some forty of these JVMs.
 *
 * <p>The archive is made once per extraction, before the app's first launch: the app runs with the launch's own
 * settings (but on a free port) until its context is refreshed ({@code -Dspring.context.exit=onRefresh}, which ends
 * it before any consumer, server or scheduled work starts) and the JVM writes the classes it loaded
 * ({@code -XX:ArchiveClassesAtExit}). It lives beside the extracted jar, so a rebuilt jar, extracted again, gets a new
 * one. If the training run fails, the app runs without an archive (a line on stderr says why), and so it does with
 * {@code -Dpatchbay.apps.cds=false}. A JVM that cannot use an archive it is given runs without it.
 */
public final class ClassDataArchive {

    private static final Duration TRAINING_DEADLINE = Duration.ofSeconds(90);
    private static final Map<Path, CompletableFuture<Optional<Path>>> ARCHIVES = new ConcurrentHashMap<>();

    private ClassDataArchive() {
    }

    /**
     * The JVM options that map {@code runnableJar}'s archive, made first if there is none: {@code launch} is the
     * launch's command ({@code java}, its JVM options, {@code -jar} and the jar, then the app's arguments). Launches of
     * the same jar wait for its one training run; those of different apps train side by side.
     */
    public static List<String> options(Path runnableJar, List<String> launch, Path trainingLog) {
        if (!Boolean.parseBoolean(System.getProperty("patchbay.apps.cds", "true"))
                || !ExtractedJar.isExtracted(runnableJar)) {
            return List.of();
        }
        CompletableFuture<Optional<Path>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Path>> archive = ARCHIVES.putIfAbsent(runnableJar.toAbsolutePath(), mine);
        if (archive == null) {
            mine.complete(existingOrTrained(runnableJar.toAbsolutePath(), launch, trainingLog));
            archive = mine;
        }
        return archive.join().map(path -> List.of("-XX:SharedArchiveFile=" + path)).orElse(List.of());
    }

    private static Optional<Path> existingOrTrained(Path runnableJar, List<String> launch, Path trainingLog) {
        Path archive = runnableJar.resolveSibling(runnableJar.getFileName() + ".jsa");
        if (Files.isRegularFile(archive)) {
            return Optional.of(archive);
        }
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(trainingLog.toAbsolutePath().getParent());
            Files.deleteIfExists(partial);
            try (GuardedProcess training = GuardedProcess.start("cds-" + runnableJar.getFileName(),
                    trainingCommand(launch, partial), System.getenv(), Path.of("").toAbsolutePath(), trainingLog, false)) {
                int status = training.awaitExit(TRAINING_DEADLINE).status();
                if (status != 0 || !Files.isRegularFile(partial)) {
                    throw new IOException("the training run exited with " + status + "; see " + trainingLog);
                }
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(archive);
        } catch (IOException | RuntimeException e) {
            System.err.println("[apps] running " + runnableJar.getFileName() + " without a class-data archive: "
                    + e.getMessage());
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a partial archive is never mapped: only the final name is
            }
            return Optional.empty();
        }
    }

    /** {@code launch} with the archive's two flags before {@code -jar} and a free port for the app. */
    public static List<String> trainingCommand(List<String> launch, Path archive) {
        int jar = launch.indexOf("-jar");
        if (jar < 1) {
            throw new IllegalArgumentException("not a java -jar command: " + launch);
        }
        List<String> command = new ArrayList<>(launch.subList(0, jar));
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.add("-Dspring.context.exit=onRefresh");
        for (String argument : launch.subList(jar, launch.size())) {
            command.add(argument.startsWith("--server.port=") ? "--server.port=0" : argument);
        }
        return command;
    }
}
