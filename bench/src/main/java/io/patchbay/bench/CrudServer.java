package io.patchbay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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

    private final HttpServer server;
    private final ExecutorService executor;
    private final HikariDataSource dataSource;
    private final Map<String, String> teamsByToken = new HashMap<>();

    public CrudServer(String jdbcUrl, BenchData data, int poolSize, int threads) throws IOException {
        teamsByToken.putAll(teamsByAuthorization(data));
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("bench-crud");
        dataSource = new HikariDataSource(pool);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-crud-http");
            t.setDaemon(true);
            return t;
        });
        // without it the JDK server's separate header and body writes meet the client's delayed ACK: +40 ms a request
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/api/", this::handle);
        server.setExecutor(executor);
        server.start();
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
     * Starts the baseline on {@code jdbcUrl} in a child JVM with {@code jvmOptions} (the apps' own), its log in
     * {@code logs}, and waits until it serves.
     */
    public static Running startProcess(String jdbcUrl, List<String> jvmOptions, int poolSize, int threads, Path logs) {
        AppProcess process = AppProcess.startJava("crud", JavaCommand.of(CrudServer.class, jvmOptions,
                List.of("--jdbc-url=" + jdbcUrl, "--pool=" + poolSize, "--threads=" + threads)), logs, READY, Duration.ofSeconds(120));
        String line = process.logLine(LISTENING).orElseThrow(() -> new IllegalStateException("the CRUD baseline named no URL; see "
                + process.log()));
        return new Running(process, line.substring(line.indexOf(LISTENING) + LISTENING.length()).trim());
    }

    /**
     * The child JVM of {@link #startProcess}: {@code --jdbc-url=URL --pool=N --threads=N}; serves until it is stopped.
     */
    public static void main(String[] args) throws Exception {
        Options options = ChildArguments.parse(new Options(), args);
        CrudServer server = new CrudServer(options.jdbcUrl, new BenchData(0), options.pool, options.threads);
        System.out.println(LISTENING + server.baseUrl());
        System.out.println(READY);
        System.out.flush();
        new CountDownLatch(1).await();
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

    /** The team of each editor or admin key of {@code data}, by its {@code Authorization} header value. */
    public static Map<String, String> teamsByAuthorization(BenchData data) {
        Map<String, String> teams = new HashMap<>();
        data.keys().stream().filter(k -> !k.role().equals("viewer")).forEach(k -> teams.put("Bearer " + k.token(), k.teamId()));
        return teams;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] requestBody = in.readAllBytes();
            String team = teamsByToken.get(exchange.getRequestHeaders().getFirst("Authorization"));
            if (team == null) {
                respond(exchange, 401, "{\"detail\":\"Invalid API key.\"}");
                return;
            }
            if (!"PATCH".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"detail\":\"Method not allowed.\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            JsonNode body = JSON.readTree(requestBody);
            if (!body.isObject()) {
                respond(exchange, 400, "{\"detail\":\"Expected an object.\"}");
                return;
            }
            ObjectNode row;
            try (Connection connection = dataSource.getConnection()) {
                row = CrudStatements.update(connection, path, team, body);
            }
            if (row == null) {
                respond(exchange, 404, "{\"detail\":\"Not found.\"}");
            } else {
                respond(exchange, 200, JSON.writeValueAsString(row));
            }
        } catch (RuntimeException | SQLException e) {
            respond(exchange, 500, "{\"detail\":\"" + e.getClass().getSimpleName() + "\"}");
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dataSource.close();
    }
}
