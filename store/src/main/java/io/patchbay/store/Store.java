package io.patchbay.store;

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

    /** Applies pending Flyway migrations from {@code classpath:db/migration}. */
    public Store migrate() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return this;
    }

    public Jdbi jdbi() {
        return jdbi;
    }
}
