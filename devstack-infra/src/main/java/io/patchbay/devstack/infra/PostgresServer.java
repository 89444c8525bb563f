package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server (zonky binaries from Maven Central) on loopback.
 *
 * <p>Durable settings are forced ({@code synchronous_commit=on}, {@code fsync=on}): zonky's defaults are off (it
 * starts the server with {@code -F}), which would make crash tests and benchmark numbers meaningless.
 */
public final class PostgresServer implements AutoCloseable {

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
        return new PostgresServer(launch(port, dataDirectory), dataDirectory);
    }

    private static EmbeddedPostgres launch(int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    // zonky passes -F (fsync off); a later -c fsync=on on the same command line wins
                    .setServerConfig("fsync", "on")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
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
        postgres = launch(port, dataDirectory);
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
