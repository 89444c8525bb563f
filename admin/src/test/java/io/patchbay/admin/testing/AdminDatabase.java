package io.patchbay.admin.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.admin.AdminCli;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.store.Store;

/**
 * A fresh, migrated database on one embedded PostgreSQL server per test JVM, and {@code patchbay-admin} run against it
 * in this JVM with its output captured.
 */
public final class AdminDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;

    public final String jdbcUrl;
    public final Jdbi jdbi;

    private AdminDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(PostgresServer.USER);
        this.jdbi = Store.on(dataSource).migrate().jdbi();
    }

    /** A new database named after {@code hint}. */
    public static AdminDatabase create(String hint) {
        return new AdminDatabase(server().createDatabase(hint.toLowerCase() + "_" + DATABASES.incrementAndGet()));
    }

    private static synchronized PostgresServer server() {
        if (server == null) {
            server = PostgresServer.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "admin-test-postgres-stop"));
        }
        return server;
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> strings(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    /** The rows of {@code table}. */
    public int count(String table) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
    }

    /** What one command printed, and its exit status. */
    public record Run(int status, String out, String err) {

        public List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** Runs {@code patchbay-admin <args> --jdbc-url <this database> --db-user postgres}. */
    public Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--jdbc-url=" + jdbcUrl);
        all.add("--db-user=" + PostgresServer.USER);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AdminCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }
}
