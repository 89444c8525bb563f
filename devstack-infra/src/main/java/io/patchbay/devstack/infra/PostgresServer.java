package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server (zonky binaries from Maven Central) on loopback.
 *
 * <p>Durable settings are forced ({@code synchronous_commit=on}, {@code fsync=on}): zonky's defaults are off (it
 * starts the server with {@code -F}), which would make crash tests and benchmark numbers meaningless. A start is
 * tried up to {@value #START_ATTEMPTS} times; the error names every reason, not only the outermost one.
 */
public final class PostgresServer implements AutoCloseable {

    /**
     * How often a start is tried. A free port ({@link FreePorts}) is picked before initdb runs, a second or more before
     * the server binds it; should something take it meanwhile, the server cannot listen (it listens on 127.0.0.1 only,
     * where the JDBC URL's {@code localhost} goes), zonky's probe gives up, and the next try picks another port. Each
     * failed try is logged with its reason.
     */
    static final int START_ATTEMPTS = 3;

    /** How long zonky waits for the server to answer; a restart after a crash replays its WAL first. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /**
     * The longest one readiness probe may take (connect and login), so that a listener that is not PostgreSQL costs a
     * probe this much, not forever; a shorter startup wait bounds it too, so that a start fails within its wait.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());

    public static final String USER = "postgres";

    private final Path dataDirectory;
    private volatile EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.port = postgres.getPort();
    }

    /**
     * Starts a server on {@code port} (0 picks a free one). With a {@code dataDirectory} the data survives
     * restarts; without one it lives in a temporary directory that is wiped.
     */
    public static PostgresServer start(int port, Path dataDirectory) {
        return start(port, dataDirectory, STARTUP_WAIT);
    }

    static PostgresServer start(int port, Path dataDirectory, Duration startupWait) {
        return new PostgresServer(launch(port, dataDirectory, startupWait), dataDirectory);
    }

    private static EmbeddedPostgres launch(int port, Path dataDirectory, Duration startupWait) {
        IOException last = null;
        Set<Integer> ports = new LinkedHashSet<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int tried = port > 0 ? port : FreePorts.find();
            ports.add(tried);
            try {
                return builder(tried, dataDirectory, startupWait).start();
            } catch (IOException e) {
                last = e;
                LOG.log(System.Logger.Level.WARNING,
                        "embedded PostgreSQL on port {0} did not start, attempt {1} of {2}: {3}",
                        String.valueOf(tried), attempt, START_ATTEMPTS, reasons(e));
            }
        }
        String portsTried = ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
        throw new UncheckedIOException("embedded PostgreSQL did not start in " + START_ATTEMPTS + " attempts (port "
                + portsTried + ", data " + (dataDirectory == null ? "ephemeral" : dataDirectory) + "): "
                + reasons(last), last);
    }

    private static EmbeddedPostgres.Builder builder(int port, Path dataDirectory, Duration startupWait) {
        String probeSeconds = String.valueOf(probeTimeout(startupWait).toSeconds());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on")
                // zonky passes -F (fsync off); a later -c fsync=on on the same command line wins
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "200")
                // the address the JDBC URL's "localhost" reaches: a port taken there fails the start, not the probe
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky's readiness probe must not hang on a listener that is not PostgreSQL
                .setConnectConfig("connectTimeout", probeSeconds)
                .setConnectConfig("loginTimeout", probeSeconds)
                .setPGStartupWait(startupWait)
                .setPort(port);
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        return builder;
    }

    /** {@link #PROBE_TIMEOUT}, or {@code startupWait} if shorter, in whole seconds (the driver's unit), at least one. */
    static Duration probeTimeout(Duration startupWait) {
        return Duration.ofSeconds(Math.max(1, Math.min(PROBE_TIMEOUT.toSeconds(), startupWait.toSeconds())));
    }

    /** The messages of {@code failure} and its causes, so that a build log's tail says why. */
    static String reasons(Throwable failure) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!reasons.isEmpty()) {
                reasons.append("; caused by ");
            }
            reasons.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return reasons.toString();
    }

    /** Where a server started with a data directory keeps its data; null for an ephemeral one. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** Creates {@code database} unless it exists, and returns its JDBC URL. */
    public String createDatabase(String database) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery(
                    "select 1 from pg_database where datname = '" + database.replace("'", "''") + "'");
            if (!exists.next()) {
                statement.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        return jdbcUrl(database);
    }

    /**
     * Stops the server the way an operator does ({@code pg_ctl stop -m fast}: open sessions are terminated);
     * {@link #restart()} brings it back on the same port with the same data. Needs a data directory.
     */
    public void stop() {
        requireDataDirectory();
        close();
    }

    /** Starts the server again after {@link #stop()}, on the same port and data directory. */
    public void restart() {
        requireDataDirectory();
        postgres = launch(port, dataDirectory, STARTUP_WAIT);
    }

    private void requireDataDirectory() {
        if (dataDirectory == null) {
            throw new IllegalStateException("only a server with a data directory can be stopped and restarted");
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
