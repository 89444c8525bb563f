package io.patchbay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.launch.ClassDataArchive;
import io.patchbay.devstack.launch.ExtractedJar;
import io.patchbay.schemas.Topics;

/** Starts patchbay's apps under test from their executable jars, wired to the run's infrastructure and options. */
public final class Apps {

    private final BenchOptions options;
    private final String bootstrap;
    private final String registry;
    private final Path logs;

    public Apps(BenchOptions options, String bootstrap, String registry, Path logs) {
        this.options = options;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.logs = logs;
    }

    /** The {@code java} of the JVMs under test ({@code --service-java}). */
    public Path java() {
        return options.serviceJava();
    }

    /** The JVM options of app {@code name}: the run's, plus a JFR recording when asked for. */
    public List<String> jvmOptions(String name) {
        List<String> jvm = new ArrayList<>(options.appJvmOptions());
        if (options.jfrDirectory() != null) {
            try {
                Files.createDirectories(options.jfrDirectory());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            jvm.add("-XX:StartFlightRecording=filename=" + options.jfrDirectory().resolve(name + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        return jvm;
    }

    private Map<String, Object> common(String jdbcUrl, Topics topics) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("spring.kafka.bootstrap-servers", bootstrap);
        settings.put("spring.datasource.url", jdbcUrl);
        settings.put("patchbay.schema-registry-url", registry);
        settings.put("patchbay.topic-prefix", topics.prefix());
        settings.put("spring.main.banner-mode", "off");
        return settings;
    }

    /**
     * A processor on {@code topics} and {@code jdbcUrl}, in the consumer group {@code <prefix>-processor}; the run's
     * {@code --processor-arg} settings, then {@code extra}, on top.
     */
    public AppProcess startProcessor(String name, String jdbcUrl, Topics topics, Map<String, String> extra) {
        Map<String, Object> settings = common(jdbcUrl, topics);
        settings.put("patchbay.processor.consumer-group", topics.prefix() + "-processor");
        settings.put("server.port", 0);
        settings.putAll(options.processorArgs());
        settings.putAll(extra);
        return start(name, options.processorJar(), ProcessorBench.settings(settings), "Started ProcessorApplication");
    }

    /** An adapter and the port it serves on. */
    public record Adapter(AppProcess process, int port) {
    }

    /**
     * An adapter on {@code topics} and {@code jdbcUrl}, on a free port. The port is free when chosen, but a slow start
     * gives others time to take it: then another port.
     */
    public Adapter startAdapter(String name, String jdbcUrl, Topics topics) {
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.find();
            try {
                return new Adapter(startAdapter(name, jdbcUrl, topics, port), port);
            } catch (IllegalStateException e) {
                if (attempt == 3 || !portTaken(name)) {
                    throw e;
                }
            }
        }
    }

    /** Whether app {@code name} failed to start because its port was taken in the meantime. */
    private boolean portTaken(String name) {
        try {
            return Files.readString(logs.resolve(name + ".log")).contains("was already in use");
        } catch (IOException e) {
            return false;
        }
    }

    /** An adapter on {@code topics} and {@code jdbcUrl}, serving on {@code port} (its metrics endpoint too). */
    public AppProcess startAdapter(String name, String jdbcUrl, Topics topics, int port) {
        return startAdapter(name, jdbcUrl, topics, port, Map.of());
    }

    /** As {@link #startAdapter(String, String, Topics, int)}, with {@code extra} settings under the run's own. */
    public AppProcess startAdapter(String name, String jdbcUrl, Topics topics, int port, Map<String, Object> extra) {
        Map<String, Object> settings = common(jdbcUrl, topics);
        settings.put("server.port", port);
        settings.put("patchbay.api.public-base-url", "http://127.0.0.1:" + port);
        settings.put("patchbay.api.idempotency-secret", "bench-only-idempotency-secret");
        settings.put("patchbay.api.api-key-pepper", BenchData.API_KEY_PEPPER);
        settings.put("management.endpoints.web.exposure.include", "health,metrics");
        settings.putAll(extra);
        settings.putAll(options.adapterArgs());
        return start(name, options.adapterJar(), ProcessorBench.settings(settings), "Started AdapterApplication");
    }

    /**
     * Starts {@code execJar} as app {@code name} and waits for {@code readyMarker}. A measured run starts the executable
     * jar as shipped, so that its start, memory and JIT are production's; a smoke run, which measures nothing, starts it
     * as the fault harness does, extracted and with a class-data sharing archive of its start ({@code devstack.launch}).
     */
    private AppProcess start(String name, Path execJar, List<String> args, String readyMarker) {
        List<String> jvm = jvmOptions(name);
        Path jar = execJar;
        if (options.smoke()) {
            jar = ExtractedJar.runnable(execJar);
            List<String> javaArgs = new ArrayList<>(jvm);
            javaArgs.addAll(List.of("-jar", jar.toString()));
            javaArgs.addAll(args);
            jvm.addAll(ClassDataArchive.options(jar, AppProcess.javaCommand(java(), javaArgs),
                    logs.resolve(name + "-cds-training.log")));
        }
        return AppProcess.start(name, java(), jar, jvm, args, logs, readyMarker, Duration.ofSeconds(180));
    }
}
