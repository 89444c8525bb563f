package io.patchbay.bench.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.patchbay.bench.AppProcess;
import io.patchbay.bench.JavaCommand;
import io.patchbay.bench.LeanHttpServer;

/**
 * The Kafka relay baseline running: its {@link RelayFront} and {@link RelayApplier}, each in a JVM of its own with the
 * apps' JVM options (so that JIT and GC count as they do for patchbay's adapter and processor), and the URL the front
 * serves on.
 */
public record KafkaRelay(AppProcess front, AppProcess applier, String baseUrl) implements AutoCloseable {

    /** The consumer group of the applier, whose lag says whether the relay has caught up. */
    public static final String APPLIER_GROUP = "bench-relay-applier";

    /**
     * Starts the relay on {@code jdbcUrl}, with requests on {@code topic} and replies on {@code replyTopic} (both
     * created beforehand), each JVM of {@code java} with {@code jvmOptions} of its name, and waits until both JVMs are
     * ready.
     */
    public static KafkaRelay start(String bootstrap, String jdbcUrl, String topic, String replyTopic, Path java,
                                   Function<String, List<String>> jvmOptions, Path logs) {
        AppProcess applier = AppProcess.startJava("relay-applier", java, JavaCommand.of(RelayApplier.class, jvmOptions.apply("relay-applier"),
                List.of("--bootstrap=" + bootstrap, "--jdbc-url=" + jdbcUrl, "--topic=" + topic, "--group=" + APPLIER_GROUP)),
                logs, RelayApplier.READY, Duration.ofSeconds(120));
        try {
            AppProcess front = AppProcess.startJava("relay-front", java, JavaCommand.of(RelayFront.class, jvmOptions.apply("relay-front"),
                    List.of("--bootstrap=" + bootstrap, "--topic=" + topic, "--reply-topic=" + replyTopic)),
                    logs, RelayFront.READY, Duration.ofSeconds(120));
            return new KafkaRelay(front, applier, LeanHttpServer.announcedUrl(front, RelayFront.LISTENING));
        } catch (RuntimeException e) {
            applier.close();
            throw e;
        }
    }

    @Override
    public void close() {
        front.close();
        applier.close();
    }
}
