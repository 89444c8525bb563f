package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * A synchronous PATCH waits for its outcome without holding a servlet thread (issue 11, item 4): with far more
 * requests waiting than the container has threads, the adapter still answers other requests at once, and every
 * waiting request gets its outcome when the processor comes.
 */
class WaitingRequestsIT {

    private static final int WAITING = 1_000;
    private static final int SERVLET_THREADS = 20;

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("waiting");

    @Test
    void aThousandWaitingPatchesHoldNoServletThreadAndAreAnsweredWhenTheirOutcomesArrive() throws Exception {
        List<String> evaluations = FaultData.seed(ns.jdbi(), 50).evaluations();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        String commands = ns.topics().commands(ResourceType.EVALUATION);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.command-wait", "120s", "server.tomcat.threads.max", Integer.toString(SERVLET_THREADS)));
             KafkaTopics kafka = new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), ns.topics())) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));
            // the first command registers its schema; concurrent first registrations are the registry's problem, not this test's
            assertThat(patch(http, evaluations.get(0), "first").header("Prefer", "respond-async").send().statusCode())
                    .isEqualTo(202);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                waiting.add(patch(http, evaluations.get(i % evaluations.size()), "waiting " + i).sendAsync());
            }
            Poll.until("every PATCH published its command", Duration.ofSeconds(120), Duration.ofMillis(200),
                    () -> published(kafka, commands) == WAITING + 1);

            HttpResponse<String> other = http.call("GET", ApiClient.evaluationPath("eval_f000")).token(FaultData.TOKEN)
                    .timeout(Duration.ofSeconds(60)).send();
            int busy = servletThreads(adapter).getActiveCount();

            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(waiting).as("still waiting for their outcomes").noneMatch(CompletableFuture::isDone);
            assertThat(busy).as("servlet threads busy while " + WAITING + " requests wait").isLessThan(SERVLET_THREADS);

            try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of())) {
                CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get();
                assertThat(waiting).extracting(response -> response.join().statusCode()).containsOnly(200);
            }
        }
    }

    private static ApiClient.Call patch(ApiClient http, String id, String name) {
        return http.patchEvaluation(id, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").timeout(Duration.ofSeconds(300));
    }

    private static long published(KafkaTopics kafka, String topic) {
        try {
            return kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static ThreadPoolExecutor servletThreads(ConfigurableApplicationContext adapter) {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) adapter).getWebServer();
        return (ThreadPoolExecutor) server.getTomcat().getConnector().getProtocolHandler().getExecutor();
    }
}
