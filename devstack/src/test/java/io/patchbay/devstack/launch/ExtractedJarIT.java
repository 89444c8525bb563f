package io.patchbay.devstack.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.devstack.faults.AppProcess;

class ExtractedJarIT {

    @TempDir
    Path directory;

    @Test
    void runsTheApplicationJarBesideItsLibrariesAndExtractsARebuiltJarAgain() throws IOException {
        Path execJar = Files.copy(AppProcess.locateExecJar(AppProcess.App.PROCESSOR), directory.resolve("processor-exec.jar"));

        Path runnable = ExtractedJar.runnable(execJar);

        assertThat(runnable).isEqualTo(directory.resolve("extracted/processor-exec/processor-exec.jar")).isRegularFile();
        try (JarFile jar = new JarFile(runnable.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.patchbay.processor.ProcessorApplication");
            assertThat(jar.getManifest().getMainAttributes().getValue("Class-Path")).contains("lib/spring-kafka-");
        }
        String stamp = Files.readString(runnable.resolveSibling(".source"));

        Files.setLastModifiedTime(execJar, FileTime.fromMillis(Files.getLastModifiedTime(execJar).toMillis() - 60_000));
        Files.delete(runnable.resolveSibling("lib").resolve(firstLibrary(runnable)));
        ExtractedJar.forget(execJar);

        assertThat(ExtractedJar.runnable(execJar)).isEqualTo(runnable);
        assertThat(Files.readString(runnable.resolveSibling(".source"))).isNotEqualTo(stamp);
        try (var libraries = Files.list(runnable.resolveSibling("lib"))) {
            assertThat(libraries.count()).as("a complete layout again").isEqualTo(countLibraries(execJar));
        }
    }

    @Test
    void aJarSpringBootCannotExtractRunsAsItIs() throws IOException {
        Path notBoot = Files.writeString(directory.resolve("not-boot.jar"), "not a jar");

        assertThat(ExtractedJar.runnable(notBoot)).isEqualTo(notBoot.toAbsolutePath());
        assertThat(directory.resolve("extracted/not-boot")).doesNotExist();
    }

    private static String firstLibrary(Path runnable) throws IOException {
        try (var libraries = Files.list(runnable.resolveSibling("lib"))) {
            return libraries.findFirst().orElseThrow().getFileName().toString();
        }
    }

    private static long countLibraries(Path execJar) throws IOException {
        try (JarFile jar = new JarFile(execJar.toFile())) {
            return jar.stream().filter(e -> e.getName().startsWith("BOOT-INF/lib/") && e.getName().endsWith(".jar")).count();
        }
    }
}
