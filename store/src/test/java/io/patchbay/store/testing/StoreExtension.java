package io.patchbay.store.testing;

import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;

/**
 * A database migrated to patchbay's schema on the shared embedded PostgreSQL, in the spirit of Jdbi's
 * {@code JdbiExtension}: declare it as a static {@code @RegisterExtension} field and take {@link #jdbi()} or the test's
 * {@link #handle()}, configured as {@link Store} configures them. The database is created and migrated once per JVM
 * and emptied before each test, so tests of this kind must not run in parallel.
 */
public final class StoreExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

    private static Jdbi shared;
    private static List<String> tables;

    private Jdbi jdbi;
    private Handle handle;

    private StoreExtension() {
    }

    public static StoreExtension migrated() {
        return new StoreExtension();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        jdbi = sharedDatabase();
    }

    private static synchronized Jdbi sharedDatabase() {
        if (shared == null) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(SharedInfrastructure.newDatabase("store"));
            shared = Store.on(dataSource).migrate().jdbi();
            tables = shared.withHandle(h -> h.createQuery("select tablename from pg_tables where schemaname = 'public'"
                    + " and tablename <> 'flyway_schema_history'").mapTo(String.class).list());
        }
        return shared;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        jdbi.useHandle(h -> h.execute("truncate " + String.join(", ", tables) + " cascade"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** A handle for the current test, in auto-commit mode (like {@code JdbiExtension.getSharedHandle()}); closed after it. */
    public Handle handle() {
        if (handle == null) {
            handle = jdbi.open();
        }
        return handle;
    }

    /** Runs {@code callback} in a transaction of its own, committed when it returns. */
    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(callback);
    }

    /** Runs {@code consumer} in a transaction of its own, committed when it returns. */
    public <X extends Exception> void useTransaction(HandleConsumer<X> consumer) throws X {
        jdbi.useTransaction(consumer);
    }
}
