package io.patchbay.devstack;

import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;
import io.patchbay.store.jdbi.StorePlugin;

/**
 * An adapter alone (no processor) on a namespace of its own, seeded with {@link FaultData} (one team, one editor key,
 * {@code eval_f000} and {@code auto_f000}), for tests that need settings the shared fixture does not have.
 */
public final class FaultDataAdapter implements AutoCloseable {

    private final ConfigurableApplicationContext adapter;

    private FaultDataAdapter(ConfigurableApplicationContext adapter) {
        this.adapter = adapter;
    }

    /** Starts one with {@code overrides} on top of devstack's settings. */
    public static FaultDataAdapter start(String hint, Map<String, String> overrides) {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace(hint);
        Store.on(new org.postgresql.ds.PGSimpleDataSource() {{ setUrl(ns.jdbcUrl()); setUser(PostgresServer.USER); }}).migrate();
        FaultData.seed(Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin()), 1);
        return new FaultDataAdapter(PatchbayApps.startAdapter(new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(),
                ns.registryUrl(), ns.topicPrefix(), 0, null), overrides));
    }

    public int port() {
        return PatchbayApps.localPort(adapter);
    }

    @Override
    public void close() {
        adapter.close();
    }
}
