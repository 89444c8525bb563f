package io.patchbay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.store.Store;

/**
 * The benchmark's databases on one PostgreSQL server: a seeded template, and a fresh copy of it for each
 * implementation under test, so that each starts from identical rows.
 */
public final class Databases {

    public static final String TEMPLATE = "bench_template";

    private final PostgresServer postgres;
    private long seededVersionSum;

    public Databases(PostgresServer postgres) {
        this.postgres = postgres;
    }

    /** Creates, migrates and seeds the template database. */
    public void createTemplate(BenchData data) {
        String url = postgres.createDatabase(TEMPLATE);
        Store store = Store.on(dataSource(url)).migrate();
        data.seed(store.jdbi());
        store.jdbi().useHandle(h -> h.execute("analyze")); // planner statistics, copied with the template
        seededVersionSum = store.jdbi().withHandle(h -> h.createQuery(
                "select (select coalesce(sum(version), 0) from evaluation) + (select coalesce(sum(version), 0) from automation)")
                .mapTo(Long.class).one());
    }

    /** A new database {@code name} copied from the template; returns its JDBC URL. */
    public String copy(String name) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name);
            statement.execute("create database " + name + " template " + TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not copy the template to " + name, e);
        }
        return postgres.jdbcUrl(name);
    }

    public static DataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        return dataSource;
    }

    /** Outcome counts recorded in the command log of {@code jdbcUrl}. */
    public static Results.Statuses statuses(String jdbcUrl) {
        return Jdbi.create(dataSource(jdbcUrl)).withHandle(h -> {
            Map<String, Long> counts = new HashMap<>();
            h.createQuery("select status, count(*) as n from command_log group by status")
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n"))).forEach(e -> counts.put(e.getKey(), e.getValue()));
            return Results.Statuses.of(counts);
        });
    }

    /**
     * Checks the guarantees a run must keep: resource versions grew by exactly the applied commands, each of
     * which has one change-log row, and each decided command one command-log row.
     */
    public Results.Verification verify(String jdbcUrl, long expectedCommands) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select (select count(*) from command_log),"
                     + " (select count(*) from command_log where status = 'APPLIED'), (select count(*) from change_log),"
                     + " (select coalesce(sum(version), 0) from evaluation) + (select coalesce(sum(version), 0) from automation),"
                     + " (select count(*) from (select resource_type, resource_id, max(version) - min(version) + 1 as span,"
                     + "   count(*) as n from change_log group by 1, 2) g where span <> n)")) {
            rs.next();
            long commandLog = rs.getLong(1);
            long applied = rs.getLong(2);
            long changeLog = rs.getLong(3);
            long growth = rs.getLong(4) - seededVersionSum;
            long gappy = rs.getLong(5);
            boolean consistent = applied == changeLog && growth == applied && gappy == 0
                    && (expectedCommands < 0 || commandLog == expectedCommands);
            return new Results.Verification(commandLog, changeLog, growth, consistent);
        } catch (SQLException e) {
            throw new IllegalStateException("could not verify " + jdbcUrl, e);
        }
    }
}
