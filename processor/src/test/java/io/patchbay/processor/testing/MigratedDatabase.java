package io.patchbay.processor.testing;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;

/** A test namespace's database with patchbay's schema migrated, as the processor's integration tests use it. */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    /** Jdbi on {@code namespace}'s database, migrated to the current schema. */
    public static Jdbi jdbi(SharedInfrastructure.Namespace namespace) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(namespace.jdbcUrl());
        dataSource.setUser(PostgresServer.USER);
        return Store.on(dataSource).migrate().jdbi();
    }
}
