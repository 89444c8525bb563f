package io.patchbay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
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

    /** Resources of each type seeded row by row; larger tables repeat them with shifted ids (see {@link #createTemplate}). */
    static final int SEEDED_PER_TYPE = 5_000;

    private final PostgresServer postgres;
    private final String template;
    private long seededVersionSum;

    public Databases(PostgresServer postgres) {
        this(postgres, TEMPLATE);
    }

    /** Databases copied from the template {@code template}. */
    public Databases(PostgresServer postgres, String template) {
        this.postgres = postgres;
        this.template = template;
    }

    /**
     * Creates, migrates and seeds the template database. Up to {@value #SEEDED_PER_TYPE} resources of each type are
     * written through the store's repositories; beyond that (growth runs, up to millions of rows) the seeded ones are
     * repeated by SQL with shifted ids and slugs, so that row {@code i} still belongs to team {@code i % 4}, as the
     * command generator expects.
     */
    public void createTemplate(BenchData data) {
        createTemplate(data, false);
    }

    /** As {@link #createTemplate(BenchData)}, the API keys in the legacy PBKDF2 format when {@code legacyKeys}. */
    public void createTemplate(BenchData data, boolean legacyKeys) {
        String url = postgres.createDatabase(template);
        Store store = Store.on(dataSource(url)).migrate();
        int perType = data.evaluations();
        int seeded = Math.min(perType, SEEDED_PER_TYPE);
        if (perType > seeded && seeded % BenchData.TEAMS != 0) {
            throw new IllegalArgumentException("cannot repeat " + seeded + " seeded rows over " + BenchData.TEAMS + " teams");
        }
        new BenchData(2 * seeded).seed(store.jdbi(), legacyKeys);
        if (perType > seeded) {
            store.jdbi().useTransaction(h -> {
                repeat(h, "evaluation", "beval_", perType, seeded, java.util.Map.of());
                repeat(h, "automation", "bauto_", perType, seeded, java.util.Map.of("slug", "'monitor_' || (n)"));
            });
        }
        store.jdbi().useHandle(h -> h.execute("analyze")); // planner statistics, copied with the template
        seededVersionSum = store.jdbi().withHandle(h -> h.createQuery(
                "select (select coalesce(sum(version), 0) from evaluation) + (select coalesce(sum(version), 0) from automation)")
                .mapTo(Long.class).one());
    }

    /** Sum of the resource versions in the seeded template (each applied change adds one). */
    public long seededVersionSum() {
        return seededVersionSum;
    }

    /** Inserts copies of the first {@code seeded} rows of {@code table} until it holds {@code total}, ids shifted. */
    private static void repeat(org.jdbi.v3.core.Handle h, String table, String prefix, int total, int seeded,
                               java.util.Map<String, String> shifted) {
        List<String> columns = h.createQuery("select column_name from information_schema.columns where table_name = :t"
                + " order by ordinal_position").bind("t", table).mapTo(String.class).list();
        String select = columns.stream().map(c -> c.equals("id") ? "'" + prefix + "' || (n)"
                : shifted.getOrDefault(c, "t." + c)).collect(java.util.stream.Collectors.joining(", "));
        h.execute("insert into " + table + " (" + String.join(", ", columns) + ") select " + select + " from " + table
                + " t cross join lateral (select substr(t.id, " + (prefix.length() + 1) + ")::int + g * " + seeded
                + " as n from generate_series(1, " + (total / seeded) + ") g) s where s.n < " + total);
    }

    /** A new database {@code name} copied from the template; returns its JDBC URL. */
    public String copy(String name) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name);
            statement.execute("create database " + name + " template " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("could not copy the template to " + name, e);
        }
        return postgres.jdbcUrl(name);
    }

    /**
     * Writes out what earlier phases left in memory, so that a latency ladder does not pay for it: a PostgreSQL
     * {@code CHECKPOINT} (the drain's dirty buffers and any checkpoint in progress), then the operating system's
     * {@code sync} (the broker's log segments and the database copies still in the page cache). Without it the
     * kernel's writeback of those hundreds of megabytes fell inside the measured steps and stalled PostgreSQL's commit
     * flushes (BENCHMARKS.md, "The latency ladder's own costs"). The ladder's own writes are still written back while
     * it runs, as they would be in service. Where there is no {@code sync} command, only the checkpoint is taken.
     */
    public void settleWrites() {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("checkpoint");
        } catch (SQLException e) {
            throw new IllegalStateException("could not checkpoint the benchmark's PostgreSQL", e);
        }
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
            sync.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (sync.waitFor() != 0) {
                throw new IllegalStateException("sync exited with " + sync.exitValue());
            }
        } catch (IOException e) {
            System.err.println("[bench] no sync on this system (" + e.getMessage() + "); the page cache is not written out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sync", e);
        }
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
