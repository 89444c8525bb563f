package io.patchbay.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.patchbay.bench.AppProcess;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.devstack.infra.FreePorts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka Connect in standalone mode ({@code ConnectStandalone}) running Debezium's JDBC sink connector, as its own
 * JVM on the classpath the {@code bench-connect} module resolves outside Spring Boot's dependency management. The
 * worker uses the JSON converter with schemas; the connector upserts on the record key into existing tables.
 */
public final class ConnectWorker implements AutoCloseable {

    /** The connector settings the issue fixes; {@code extra} settings of a variant go on top. */
    public static Map<String, String> connectorSettings(String name, String jdbcUrl, Map<String, String> extra) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", SinkRecords.EVALUATION_TOPIC + "," + SinkRecords.AUTOMATION_TOPIC);
        c.put("connection.url", jdbcUrl);
        c.put("connection.username", "postgres");
        c.put("connection.password", "");
        c.put("insert.mode", "upsert");
        c.put("primary.key.mode", "record_key");
        c.put("schema.evolution", "none");
        c.put("batch.size", "500");
        c.put("collection.name.format", "${topic}");
        c.putAll(extra);
        return c;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AppProcess process;
    private final String restBase;
    private final String connector;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectWorker(AppProcess process, String restBase, String connector) {
        this.process = process;
        this.restBase = restBase;
        this.connector = connector;
    }

    /**
     * Starts the worker with one connector and returns once its task runs (the sink has opened its database
     * session and consumes). {@code classpath} is the {@code bench-connect} module's resolved class path.
     */
    public static ConnectWorker start(String name, String classpath, String bootstrapServers, Map<String, String> connector,
                                      List<String> jvmOptions, Path logDirectory) {
        int port = FreePorts.find();
        Path dir = logDirectory.resolve(name);
        Map<String, String> worker = new LinkedHashMap<>();
        worker.put("bootstrap.servers", bootstrapServers);
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("key.converter.schemas.enable", "true");
        worker.put("value.converter.schemas.enable", "true");
        worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("listeners", "http://127.0.0.1:" + port);
        worker.put("plugin.discovery", "service_load");
        worker.put("consumer.max.poll.records", "500");
        worker.put("consumer.auto.offset.reset", "earliest");
        try {
            Files.createDirectories(dir);
            write(dir.resolve("worker.properties"), worker);
            write(dir.resolve("connector.properties"), connector);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> java = new ArrayList<>(jvmOptions);
        java.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        java.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn");
        java.add("-Dorg.slf4j.simpleLogger.log.org.hibernate=warn");
        java.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        java.add("-cp");
        java.add(classpath);
        java.add("org.apache.kafka.connect.cli.ConnectStandalone");
        java.add(dir.resolve("worker.properties").toString());
        java.add(dir.resolve("connector.properties").toString());
        AppProcess process = AppProcess.startJava(name, java, logDirectory, "Kafka Connect started", Duration.ofSeconds(180));
        ConnectWorker started = new ConnectWorker(process, "http://127.0.0.1:" + port, connector.get("name"));
        try {
            started.awaitTaskRunning(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The class path written by the {@code bench-connect} module's build. */
    public static String classpath(Path projectDirectory) {
        Path file = projectDirectory.resolve("bench-connect").resolve("target").resolve("connect-classpath.txt");
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no Kafka Connect class path at " + file
                    + "; build it with ./mvnw -B -DskipTests package -pl bench -am", e);
        }
    }

    private void awaitTaskRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka Connect exited; see " + process.log());
            }
            try {
                last = status();
                JsonNode status = JSON.readTree(last);
                List<String> states = new ArrayList<>();
                status.path("tasks").forEach(t -> states.add(t.path("state").asString()));
                if (states.contains("FAILED") || "FAILED".equals(status.path("connector").path("state").asString())) {
                    throw new IllegalStateException("the JDBC sink failed: " + last + "; see " + process.log());
                }
                if (!states.isEmpty() && states.stream().allMatch("RUNNING"::equals)) {
                    return;
                }
            } catch (IOException | JacksonException e) {
                last = e.toString();
            }
            ProcessorBench.sleep(100);
        }
        throw new IllegalStateException("the JDBC sink's task did not run within " + timeout + " (" + last + "); see "
                + process.log());
    }

    /** Fails when the connector's task has failed (the sink stops at its first error). */
    public void checkNotFailed() {
        String status;
        try {
            status = status();
        } catch (IOException e) {
            throw new IllegalStateException("Kafka Connect does not answer; see " + process.log(), e);
        }
        if (status.contains("\"FAILED\"")) {
            throw new IllegalStateException("the JDBC sink failed: " + status + "; see " + process.log());
        }
    }

    private String status() throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(restBase + "/connectors/" + connector + "/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public AppProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    private static void write(Path file, Map<String, String> settings) throws IOException {
        StringBuilder s = new StringBuilder();
        settings.forEach((k, v) -> s.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, s.toString());
    }

}
