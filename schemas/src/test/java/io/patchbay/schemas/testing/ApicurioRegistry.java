package io.patchbay.schemas.testing;

import io.patchbay.devstack.infra.SchemaRegistryProcess;
import java.nio.file.Path;

/**
 * One real Apicurio 2.4.2 registry (in-memory storage, global rule BACKWARD) per test JVM, started on first use
 * and stopped at exit. Tests that stop or restart a registry start their own instead.
 */
public final class ApicurioRegistry {

    private static SchemaRegistryProcess shared;

    private ApicurioRegistry() {
    }

    public static synchronized SchemaRegistryProcess shared() {
        if (shared == null) {
            shared = start("shared");
        }
        return shared;
    }

    /** A registry of the caller's own with in-memory storage, logging to {@code target/registry-<name>.log}. */
    public static SchemaRegistryProcess start(String name) {
        return SchemaRegistryProcess.start(0, null, Path.of("target", "registry-" + name + ".log"));
    }

    /** The registry's native v2 API, which the Apicurio serdes talk to. */
    public static String nativeApiUrl(SchemaRegistryProcess registry) {
        return "http://127.0.0.1:" + registry.port() + "/apis/registry/v2";
    }
}
