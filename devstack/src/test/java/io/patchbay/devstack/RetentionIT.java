package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.faults.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;
import io.patchbay.store.jdbi.StorePlugin;

/**
 * Retention with a short age, through the running apps: command log entries and Idempotency-Key records go after
 * their age, the change log stays, and a key can be used afresh once its record is gone.
 */
class RetentionIT {

    @Test
    void commandLogAndRequestRecordsArePurgedAfterTheirAgeAndTheChangeLogIsKept() throws Exception {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("retention");
        Jdbi jdbi = Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin());
        Store.on(new org.postgresql.ds.PGSimpleDataSource() {{ setUrl(ns.jdbcUrl()); setUser(PostgresServer.USER); }}).migrate();
        FaultData.seed(jdbi, 2);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.topicPrefix(), 0, null);
        try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of(
                     "patchbay.processor.retention", "2s", "patchbay.processor.purge-interval", "250ms",
                     "patchbay.processor.purge-batch-size", "2"));
             ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.idempotency-retention", "2s"))) {
            String base = "http://127.0.0.1:" + PatchbayApps.localPort(adapter);
            for (int i = 0; i < 5; i++) {
                assertThat(patch(base, "eval_f000", "kept-" + i, "key-" + i).statusCode()).isEqualTo(200);
            }
            // each 200 came from a command-log entry written with its change-log row; the entries themselves may
            // already be past the 2 s retention on a loaded machine, so only the kept change log is counted here
            assertThat(count(jdbi, "change_log")).isEqualTo(5);

            Poll.until("command log and request records purged", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> count(jdbi, "command_log") == 0 && count(jdbi, "command_request") == 0);

            assertThat(count(jdbi, "change_log")).isEqualTo(5);
            HttpResponse<String> reused = patch(base, "eval_f000", "after purge", "key-0");
            assertThat(reused.statusCode()).isEqualTo(200);
            assertThat(reused.headers().firstValue("Idempotent-Replayed")).isEmpty();
            assertThat(count(jdbi, "change_log")).isEqualTo(6);
        }
    }

    private static HttpResponse<String> patch(String base, String id, String name, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/evaluations/" + id))
                .header("Authorization", "Bearer " + FaultData.TOKEN).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
    }
}
