package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.adapter.command.OutcomeWaiter;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.store.Store;

/**
 * Adapters scale out (issue 11): two instances behind the same clients each answer their own requests synchronously
 * while the other runs, and each decodes only the outcomes of its own requests.
 */
class TwoAdaptersIT {

    private static final int PER_ADAPTER = 60;

    @Test
    void eachAdapterAnswersItsOwnRequestsAndDecodesOnlyTheirOutcomes() throws Exception {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("two-adapters");
        Jdbi jdbi = Store.on(new org.postgresql.ds.PGSimpleDataSource() {{
            setUrl(ns.jdbcUrl());
            setUser(PostgresServer.USER);
        }}).migrate().jdbi();
        List<String> evaluations = FaultData.seed(jdbi, 20).evaluations();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.topicPrefix(), 0, null);
        HttpClient client = HttpClient.newHttpClient();
        try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of());
             ConfigurableApplicationContext first = PatchbayApps.startAdapter(settings, Map.of());
             ConfigurableApplicationContext second = PatchbayApps.startAdapter(settings, Map.of())) {
            for (ConfigurableApplicationContext adapter : List.of(first, second)) {
                // one at a time first: the registry does not take concurrent first registrations of a schema
                assertThat(client.send(patch(adapter, evaluations.get(0), "first"), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
            }
            OutcomeWaiter firstReplies = first.getBean(OutcomeWaiter.class);
            OutcomeWaiter secondReplies = second.getBean(OutcomeWaiter.class);
            assertThat(firstReplies.replyPartition()).isPresent();
            assertThat(secondReplies.replyPartition()).isPresent().isNotEqualTo(firstReplies.replyPartition());
            long firstBefore = firstReplies.decoded();
            long secondBefore = secondReplies.decoded();

            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < PER_ADAPTER; i++) {
                for (ConfigurableApplicationContext adapter : List.of(first, second)) {
                    answers.add(client.sendAsync(patch(adapter, evaluations.get(i % evaluations.size()), "round " + i),
                            HttpResponse.BodyHandlers.ofString()));
                }
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();

            assertThat(answers).extracting(a -> a.join().statusCode()).containsOnly(200);
            assertThat(firstReplies.decoded() - firstBefore).isEqualTo(PER_ADAPTER);
            assertThat(secondReplies.decoded() - secondBefore).isEqualTo(PER_ADAPTER);
            assertThat(firstReplies.skipped() + secondReplies.skipped()).as("replies read but not waited for").isZero();
        }
    }

    private static HttpRequest patch(ConfigurableApplicationContext adapter, String id, String name) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PatchbayApps.localPort(adapter) + "/api/v1/evaluations/" + id))
                .header("Authorization", "Bearer " + FaultData.TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
    }
}
