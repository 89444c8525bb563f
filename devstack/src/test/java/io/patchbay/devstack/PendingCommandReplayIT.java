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
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;
import io.patchbay.store.jdbi.StorePlugin;

/** An Idempotency-Key replay of a command that is still pending (no processor runs) answers like the first request. */
class PendingCommandReplayIT {

    @Test
    void aReplayedPendingAnswerCarriesTheFirstRequestId() throws Exception {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("pending");
        Store.on(new org.postgresql.ds.PGSimpleDataSource() {{ setUrl(ns.jdbcUrl()); setUser(PostgresServer.USER); }}).migrate();
        FaultData.seed(Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin()), 1);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            String url = "http://127.0.0.1:" + PatchbayApps.localPort(adapter) + "/api/v1/evaluations/eval_f000";

            HttpResponse<String> first = patch(url);
            HttpResponse<String> replay = patch(url);

            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(replay.statusCode()).isEqualTo(202);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(replay.headers().firstValue("X-Request-Id")).isEqualTo(first.headers().firstValue("X-Request-Id"));
            assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        }
    }

    private static HttpResponse<String> patch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + FaultData.TOKEN).header("Content-Type", "application/json")
                .header("Idempotency-Key", "pending-replay").timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"pending\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
