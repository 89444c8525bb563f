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

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.Store;

/**
 * A synchronous PATCH waits for its outcome without holding a servlet thread (issue 11, item 4): with far more
 * requests waiting than the container has threads, the adapter still answers other requests at once, and every
 * waiting request gets its outcome when the processor comes.
 */
class WaitingRequestsIT {

    private static final int WAITING = 1_000;
    private static final int SERVLET_THREADS = 20;

    @Test
    void aThousandWaitingPatchesHoldNoServletThreadAndAreAnsweredWhenTheirOutcomesArrive() throws Exception {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("waiting");
        Jdbi jdbi = Store.on(new org.postgresql.ds.PGSimpleDataSource() {{
            setUrl(ns.jdbcUrl());
            setUser(PostgresServer.USER);
        }}).migrate().jdbi();
        List<String> evaluations = FaultData.seed(jdbi, 50).evaluations();
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.topicPrefix(), 0, null);
        Topics topics = new Topics(ns.topicPrefix());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.command-wait", "120s", "server.tomcat.threads.max", Integer.toString(SERVLET_THREADS)));
             Admin admin = Admin.create(Map.of("bootstrap.servers", ns.bootstrapServers()))) {
            String base = "http://127.0.0.1:" + PatchbayApps.localPort(adapter);
            // the first command registers its schema; concurrent first registrations are the registry's problem, not this test's
            assertThat(client.send(HttpRequest.newBuilder(patch(base, evaluations.get(0), "first"), (name, value) -> true)
                    .header("Prefer", "respond-async").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                waiting.add(client.sendAsync(patch(base, evaluations.get(i % evaluations.size()), "waiting " + i),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Poll.until("every PATCH published its command", Duration.ofSeconds(120), Duration.ofMillis(200),
                    () -> published(admin, topics) == WAITING + 1);

            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/evaluations/eval_f000"))
                    .header("Authorization", "Bearer " + FaultData.TOKEN).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
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

    private static HttpRequest patch(String base, String id, String name) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/evaluations/" + id))
                .header("Authorization", "Bearer " + FaultData.TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(300))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
    }

    private static long published(Admin admin, Topics topics) {
        try {
            String topic = topics.commands(ResourceType.EVALUATION);
            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(ends).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static ThreadPoolExecutor servletThreads(ConfigurableApplicationContext adapter) {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) adapter).getWebServer();
        return (ThreadPoolExecutor) server.getTomcat().getConnector().getProtocolHandler().getExecutor();
    }
}
