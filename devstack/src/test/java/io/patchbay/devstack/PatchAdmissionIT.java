package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.metrics.Scrape;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.KafkaTopics;
import tools.jackson.databind.JsonNode;

/**
 * An adapter holds at most {@code patchbay.api.max-pending} PATCH requests at once: with that many waiting for their
 * outcomes, the next PATCH of either API is refused at once with 503 and {@code Retry-After} in its API's format and
 * publishes nothing, reads still answer, and once the waiting requests are answered PATCHes are admitted again.
 */
class PatchAdmissionIT {

    private static final int MAX_PENDING = 3;

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("admission");

    @Test
    void refusesPatchesOverTheBoundWith503UntilThePendingOnesAreAnswered() throws Exception {
        FaultData.Seeded seeded = FaultData.seed(ns.jdbi(), 10);
        List<String> evaluations = seeded.evaluations();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        String evaluationCommands = ns.topics().commands(ResourceType.EVALUATION);
        String automationCommands = ns.topics().commands(ResourceType.AUTOMATION);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.max-pending", Integer.toString(MAX_PENDING), "patchbay.api.command-wait", "120s"));
             KafkaTopics kafka = new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), ns.topics())) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));
            assertThat(patch(http, evaluations.get(0), "first").header("Prefer", "respond-async").send().statusCode())
                    .isEqualTo(202);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < MAX_PENDING; i++) {
                waiting.add(patch(http, evaluations.get(i + 1), "waiting " + i).sendAsync());
            }
            Poll.until("the waiting PATCHes published their commands", Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> kafka.appended(evaluationCommands) == MAX_PENDING + 1);

            HttpResponse<String> autousers = patch(http, evaluations.get(5), "over the bound").send();
            HttpResponse<String> respan = http.patchAutomation(seeded.automations().get(0), FaultData.TOKEN,
                    "{\"is_enabled\": false}").timeout(Duration.ofSeconds(30)).send();
            HttpResponse<String> read = http.call("GET", ApiClient.evaluationPath(evaluations.get(5)))
                    .token(FaultData.TOKEN).timeout(Duration.ofSeconds(30)).send();
            Scrape metrics = Scrape.of(PatchbayApps.localPort(adapter));

            assertThat(autousers.statusCode()).isEqualTo(503);
            assertThat(autousers.headers().firstValue("Retry-After")).contains("1");
            JsonNode error = ApiClient.json(autousers).path("error");
            assertThat(error.path("type").asText()).isEqualTo("api_error");
            assertThat(error.path("code").asText()).isEqualTo("server_busy");
            assertThat(error.path("request_id").asText()).isNotEmpty();
            assertThat(respan.statusCode()).isEqualTo(503);
            assertThat(respan.headers().firstValue("Retry-After")).contains("1");
            assertThat(ApiClient.json(respan).path("code").asText()).isEqualTo("server_busy");
            assertThat(ApiClient.json(respan).path("detail").asText()).contains("retry");
            assertThat(read.statusCode()).as("reads are not bounded").isEqualTo(200);
            assertThat(kafka.appended(evaluationCommands)).as("nothing published for a refused PATCH")
                    .isEqualTo(MAX_PENDING + 1);
            assertThat(kafka.appended(automationCommands)).as("nothing published for a refused PATCH").isLessThanOrEqualTo(0);
            assertThat(metrics.sum("patchbay_adapter_patches_pending")).isEqualTo(MAX_PENDING);
            assertThat(metrics.sum("patchbay_adapter_patches_busy_total")).isEqualTo(2);
            assertThat(waiting).as("still waiting for their outcomes").noneMatch(CompletableFuture::isDone);

            try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of())) {
                CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get();
                assertThat(waiting).extracting(response -> response.join().statusCode()).containsOnly(200);
                assertThat(patch(http, evaluations.get(5), "admitted again").send().statusCode()).isEqualTo(200);
            }
            assertThat(Scrape.of(PatchbayApps.localPort(adapter)).sum("patchbay_adapter_patches_pending"))
                    .as("every permit released").isZero();
        }
    }

    private static ApiClient.Call patch(ApiClient http, String id, String name) {
        return http.patchEvaluation(id, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").timeout(Duration.ofSeconds(120));
    }
}
