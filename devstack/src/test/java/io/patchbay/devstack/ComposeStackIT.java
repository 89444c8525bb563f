package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.patchbay.store.jdbi.StorePlugin;

/**
 * The production shape from {@code docker-compose.yml} (images built from this repository): the same PATCH
 * and GET as the end-to-end test, against containers. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

    @Container
    static final ComposeContainer STACK = new ComposeContainer(new File("../docker-compose.yml"))
            .withEnv("PATCHBAY_IDEMPOTENCY_SECRET", "compose-test-secret")
            .withBuild(true)
            .withExposedService("postgres", 5432, Wait.forListeningPort())
            .withExposedService("adapter", 8080, Wait.forHttp("/api/v1/evaluations/none").forStatusCode(401)
                    .withStartupTimeout(Duration.ofMinutes(10)));

    @Test
    void patchThroughTheComposeStackAppliesAndReadsBack() throws Exception {
        String jdbc = "jdbc:postgresql://" + STACK.getServiceHost("postgres", 5432) + ":"
                + STACK.getServicePort("postgres", 5432) + "/patchbay";
        DemoData.Facts demo = DemoData.seed(Jdbi.create(jdbc, "patchbay", "patchbay").installPlugin(new StorePlugin()));
        String base = "http://" + STACK.getServiceHost("adapter", 8080) + ":" + STACK.getServicePort("adapter", 8080);
        HttpClient http = HttpClient.newHttpClient();
        String token = demo.key("acme_editor").token();

        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/evaluations/eval_acme_draft"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"from compose\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/evaluations/eval_acme_draft"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        assertThat(get.body()).contains("\"name\":\"from compose\"");
    }
}
