package io.patchbay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * The arguments of {@code java} that run one of the benchmark's own main classes in a child JVM, on this JVM's
 * class path: directly when it is a class path (the test suite, an IDE), through Spring Boot's
 * {@code PropertiesLauncher} when it is the benchmark's executable jar ({@code java -jar patchbay-bench.jar}).
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    public static List<String> of(Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        String classpath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(jvmOptions);
        if (isExecutableJar(classpath)) {
            command.add("-Dloader.main=" + mainClass.getName());
            command.add("-cp");
            command.add(classpath);
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass.getName());
        }
        command.addAll(args);
        return command;
    }

    private static boolean isExecutableJar(String classpath) {
        if (classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar") || !Files.isRegularFile(Path.of(classpath))) {
            return false;
        }
        try (ZipFile jar = new ZipFile(classpath)) {
            return jar.getEntry("BOOT-INF/") != null || jar.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/"));
        } catch (IOException e) {
            return false;
        }
    }
}
