package io.patchbay.devstack.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

import io.patchbay.devstack.infra.ThisJava;

/**
 * An app's executable jar unpacked once, by Spring Boot's own tool ({@code java -Djarmode=tools -jar app.jar
 * extract}), into the layout Spring Boot recommends for running: the application jar beside its libraries, so the
 * JVM loads classes from plain jars instead of through the nested-jar loader. The same app starts faster (a processor
 * in 4.7-6.9 s instead of 6.7-8.7 s on the two-core machine), and the fault tests, the campaign and the benchmark's
 * smoke run start dozens of these JVMs.
 *
 * <p>The layout lives beside the jar ({@code target/extracted/<jar name>/}) with the jar's size and time; a rebuilt
 * jar is extracted again. If extraction fails, or with {@code -Dpatchbay.apps.extracted=false}, the app runs from
 * its executable jar.
 */
public final class ExtractedJar {

    /** Beside the extracted jar: the size and time of the executable jar it came from. */
    private static final String STAMP = ".source";
    private static final Map<Path, Path> RUNNABLE = new HashMap<>();

    private ExtractedJar() {
    }

    /** The jar to run with {@code java -jar}: the extracted application jar, or {@code execJar} itself. */
    public static synchronized Path runnable(Path execJar) {
        if (!Boolean.parseBoolean(System.getProperty("patchbay.apps.extracted", "true"))) {
            return execJar;
        }
        return RUNNABLE.computeIfAbsent(execJar.toAbsolutePath(), ExtractedJar::extractOrKeep);
    }

    private static Path extractOrKeep(Path execJar) {
        try {
            return extract(execJar);
        } catch (IOException | RuntimeException e) {
            System.err.println("[apps] running " + execJar.getFileName() + " unextracted: " + e.getMessage());
            return execJar;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return execJar;
        }
    }

    private static Path extract(Path execJar) throws IOException, InterruptedException {
        String name = execJar.getFileName().toString();
        Path destination = execJar.resolveSibling("extracted").resolve(name.replaceFirst("\\.jar$", ""));
        Path source = destination.resolve(STAMP);
        String stamp = Files.size(execJar) + " " + Files.getLastModifiedTime(execJar).toMillis();
        Path runnable = destination.resolve(name);
        if (Files.isRegularFile(runnable) && Files.isRegularFile(source) && Files.readString(source).equals(stamp)) {
            return runnable;
        }
        Path staging = destination.resolveSibling(destination.getFileName() + ".staging-" + ProcessHandle.current().pid());
        FileSystemUtils.deleteRecursively(staging);
        Path log = Files.createDirectories(staging.getParent()).resolve(staging.getFileName() + ".log");
        Process tool = new ProcessBuilder(ThisJava.executable().toString(),
                "-Djarmode=tools", "-jar", execJar.toString(), "extract", "--destination", staging.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!tool.waitFor(2, TimeUnit.MINUTES)) {
            tool.destroyForcibly();
            throw new IOException("extraction did not end within 2 minutes; see " + log);
        }
        if (tool.exitValue() != 0 || !Files.isRegularFile(staging.resolve(name))) {
            FileSystemUtils.deleteRecursively(staging);
            throw new IOException("extraction failed (exit " + tool.exitValue() + "); see " + log);
        }
        Files.writeString(staging.resolve(STAMP), stamp);
        FileSystemUtils.deleteRecursively(destination);
        Files.move(staging, destination);
        Files.deleteIfExists(log);
        return runnable;
    }

    /** Whether {@code runnable} is an application jar this class extracted (not an executable jar run as it is). */
    public static boolean isExtracted(Path runnable) {
        return Files.isRegularFile(runnable.resolveSibling(STAMP));
    }

    /** Forgets what this JVM extracted for {@code execJar}, so that the next call checks the jar again. */
    public static synchronized void forget(Path execJar) {
        RUNNABLE.remove(execJar.toAbsolutePath());
    }
}
