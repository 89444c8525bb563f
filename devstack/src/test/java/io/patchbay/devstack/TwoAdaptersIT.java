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

import io.patchbay.adapter.command.OutcomeWaiter;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;

/**
 * Adapters scale out (issue 11): two instances behind the same clients each answer their own requests synchronously
 * while the other runs, and each decodes only the outcomes of its own requests.
 */
class TwoAdaptersIT {

    private static final int PER_ADAPTER = 60;

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("two-adapters");

    @Test
    void eachAdapterAnswersItsOwnRequestsAndDecodesOnlyTheirOutcomes() throws Exception {
        List<String> evaluations = FaultData.seed(ns.jdbi(), 20).evaluations();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of());
             ConfigurableApplicationContext first = PatchbayApps.startAdapter(settings, Map.of());
             ConfigurableApplicationContext second = PatchbayApps.startAdapter(settings, Map.of())) {
            ApiClient firstHttp = new ApiClient(PatchbayApps.localPort(first));
            ApiClient secondHttp = new ApiClient(PatchbayApps.localPort(second));
            for (ApiClient adapter : List.of(firstHttp, secondHttp)) {
                // one at a time first: the registry does not take concurrent first registrations of a schema
                assertThat(patch(adapter, evaluations.get(0), "first").send().statusCode()).isEqualTo(200);
            }
            OutcomeWaiter firstReplies = first.getBean(OutcomeWaiter.class);
            OutcomeWaiter secondReplies = second.getBean(OutcomeWaiter.class);
            assertThat(firstReplies.replyPartition()).isPresent();
            assertThat(secondReplies.replyPartition()).isPresent().isNotEqualTo(firstReplies.replyPartition());
            long firstBefore = firstReplies.decoded();
            long secondBefore = secondReplies.decoded();

            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < PER_ADAPTER; i++) {
                for (ApiClient adapter : List.of(firstHttp, secondHttp)) {
                    answers.add(patch(adapter, evaluations.get(i % evaluations.size()), "round " + i).sendAsync());
                }
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();

            assertThat(answers).extracting(a -> a.join().statusCode()).containsOnly(200);
            assertThat(firstReplies.decoded() - firstBefore).isEqualTo(PER_ADAPTER);
            assertThat(secondReplies.decoded() - secondBefore).isEqualTo(PER_ADAPTER);
            assertThat(firstReplies.skipped() + secondReplies.skipped()).as("replies read but not waited for").isZero();
        }
    }

    private static ApiClient.Call patch(ApiClient adapter, String id, String name) {
        return adapter.patchEvaluation(id, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").timeout(Duration.ofSeconds(60));
    }
}
