package io.patchbay.devstack.infra;

import java.nio.file.Path;

/**
 * The {@code java} executable of the JVM running now ({@code java.home}'s {@code bin/java}): the one place that says
 * which Java the harness's child JVMs (broker, registry, apps, jar extraction, the bench's services) run on.
 */
public final class ThisJava {

    private ThisJava() {
    }

    /** This JVM's {@code java} executable. */
    public static Path executable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
