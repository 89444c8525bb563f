package io.patchbay.store;

import java.time.Duration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.store.jdbi.StorePlugin;

/** Entry point to patchbay's PostgreSQL schema: migrations and a {@link Jdbi} configured by {@link StorePlugin}. */
public final class Store {

    private final DataSource dataSource;
    private final Jdbi jdbi;

    private Store(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new StorePlugin());
    }

    public static Store on(DataSource dataSource) {
        return new Store(dataSource);
    }

    /**
     * Waits until PostgreSQL accepts a connection from the data source, for at most {@code upTo}: a database that is
     * down, starting or restarting is waited out (each attempt logged once at WARN), so that an app started before its
     * database comes up instead of exiting. A refusal no wait cures (wrong password, no such database) fails at once.
     *
     * @param setting the setting that sets {@code upTo}, named in the error when the wait gives up
     * @throws IllegalStateException when {@code upTo} passed without a connection, or the database refused it
     */
    public Store awaitDatabase(Duration upTo, String setting) {
        new DatabaseWait(upTo, setting).until(dataSource);
        return this;
    }

    /** Applies pending Flyway migrations from {@code classpath:db/migration}; see {@link #awaitDatabase} to wait first. */
    public Store migrate() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return this;
    }

    public Jdbi jdbi() {
        return jdbi;
    }
}
