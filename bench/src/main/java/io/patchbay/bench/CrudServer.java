package io.patchbay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The direct, synchronous baseline: a plain CRUD service (JDK HTTP server, HikariCP) serving the same PATCH routes
 * by updating PostgreSQL in place, one autocommitted {@code UPDATE ... RETURNING} per request (one durable commit),
 * and answering with the row. It authenticates by looking the bearer token up in memory (what the adapter does on an
 * API-key cache hit) and checks nothing else: no Kafka, no command log, no change events, no idempotency, no ordering
 * beyond the row lock.
 *
 * <p>The benchmark runs it in a JVM of its own ({@link #startProcess}), with the apps' JVM options, so that its CPU
 * is its whole process's (request threads, JIT, GC), measured as the adapter's and the processor's are.
 */
public final class CrudServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LISTENING = "CRUD baseline listening on ";
    private static final String READY = "CRUD baseline ready";

    private final LeanHttpServer server;
    private final HikariDataSource dataSource;
    private final Map<String, String> teamsByToken;

    public CrudServer(String jdbcUrl, BenchData data, int poolSize, int threads) {
        teamsByToken = data.teamsByAuthorization();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("bench-crud");
        dataSource = new HikariDataSource(pool);
        server = new LeanHttpServer("bench-crud-http", threads, this::handle);
    }

    /** The baseline in a JVM of its own, and the URL it serves on. */
    public record Running(AppProcess process, String baseUrl) implements AutoCloseable {

        /** CPU seconds the baseline's whole JVM has used so far. */
        public double cpuSeconds() {
            return process.cpuSeconds();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /**
     * Starts the baseline on {@code jdbcUrl} in a child JVM of {@code java} with {@code jvmOptions} (the apps' own),
     * its log in {@code logs}, and waits until it serves.
     */
    public static Running startProcess(String jdbcUrl, Path java, List<String> jvmOptions, int poolSize, int threads,
                                       Path logs) {
        AppProcess process = AppProcess.startJava("crud", java, JavaCommand.of(CrudServer.class, jvmOptions,
                List.of("--jdbc-url=" + jdbcUrl, "--pool=" + poolSize, "--threads=" + threads)), logs, READY, Duration.ofSeconds(120));
        return new Running(process, LeanHttpServer.announcedUrl(process, LISTENING));
    }

    /**
     * The child JVM of {@link #startProcess}: {@code --jdbc-url=URL --pool=N --threads=N}; serves until it is stopped.
     */
    public static void main(String[] args) throws Exception {
        Options options = ChildArguments.parse(new Options(), args);
        new CrudServer(options.jdbcUrl, new BenchData(0), options.pool, options.threads).server.announceAndServe(LISTENING, READY);
    }

    /** The child JVM's options ({@link ChildArguments}). */
    @Command(name = "crud-server")
    static final class Options {

        @Option(names = "--jdbc-url", required = true, description = "the database of the CRUD baseline")
        String jdbcUrl;

        @Option(names = "--pool", defaultValue = "16", description = "JDBC connections (default: ${DEFAULT-VALUE})")
        int pool;

        @Option(names = "--threads", defaultValue = "64", description = "HTTP worker threads (default: ${DEFAULT-VALUE})")
        int threads;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    private void handle(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] requestBody = in.readAllBytes();
            String team = teamsByToken.get(exchange.getRequestHeaders().getFirst("Authorization"));
            if (team == null) {
                LeanHttpServer.respond(exchange, 401, "{\"detail\":\"Invalid API key.\"}");
                return;
            }
            if (!"PATCH".equals(exchange.getRequestMethod())) {
                LeanHttpServer.respond(exchange, 405, "{\"detail\":\"Method not allowed.\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            JsonNode body = JSON.readTree(requestBody);
            if (!body.isObject()) {
                LeanHttpServer.respond(exchange, 400, "{\"detail\":\"Expected an object.\"}");
                return;
            }
            ObjectNode row;
            try (Connection connection = dataSource.getConnection()) {
                row = CrudStatements.update(connection, path, team, body);
            }
            if (row == null) {
                LeanHttpServer.respond(exchange, 404, "{\"detail\":\"Not found.\"}");
            } else {
                LeanHttpServer.respond(exchange, 200, JSON.writeValueAsString(row));
            }
        } catch (IOException | RuntimeException | SQLException e) {
            LeanHttpServer.respond(exchange, 500, "{\"detail\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    @Override
    public void close() {
        server.close();
        dataSource.close();
    }
}
