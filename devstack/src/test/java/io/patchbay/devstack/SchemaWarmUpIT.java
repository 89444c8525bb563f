package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.internal.ConnectionSettings;
import io.patchbay.schemas.registry.internal.HttpSchemaRegistryClient;
import io.patchbay.testing.http.ApiClient;

/**
 * The apps register the schemas they write at start, before they accept requests or commands, so that the first
 * burst of PATCHes never registers the command schema on many request threads at once (Apicurio answered such a race
 * with a 500, which reached an HTTP client: RELIABILITY.md, the 200,000-request fuzz on 317d975); and an adapter that
 * starts without its registry starts unready and becomes ready once the registry comes.
 */
class SchemaWarmUpIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    /** A stack of its own: its topic prefix makes every subject new to the registry. */
    @RegisterExtension
    static final PatchbayStack fresh = PatchbayStack.ofItsOwn("warmup");

    @AfterAll
    static void closeStack() {
        fresh.close();
    }

    @Test
    void theSchemasAreRegisteredBeforeTheFirstRequestAndAFirstBurstOfConcurrentPatchesIsAllAnswered() throws Exception {
        Topics topics = fresh.topics();
        SchemaRegistryClient registry = uncached(fresh.namespace().registryUrl());

        // nothing has been sent to the apps yet: what the registry knows, the apps registered at start
        assertThat(registry.lookup(topics.commands(ResourceType.EVALUATION) + "-value", EvaluationUpdateCommand.getClassSchema()))
                .as("the evaluation command schema, registered by the adapter at start").isPositive();
        assertThat(registry.lookup(topics.commands(ResourceType.AUTOMATION) + "-value", AutomationUpdateCommand.getClassSchema()))
                .as("the automation command schema, registered by the adapter at start").isPositive();
        assertThat(registry.lookup(topics.commandResults() + "-value", CommandResult.getClassSchema()))
                .as("the result schema, registered by the processor at start").isPositive();
        assertThat(registry.lookup(topics.changes(ResourceType.EVALUATION) + "-value", EvaluationChanged.getClassSchema()))
                .isPositive();
        assertThat(registry.lookup(topics.changes(ResourceType.AUTOMATION) + "-value", AutomationChanged.getClassSchema()))
                .isPositive();
        HttpResponse<String> readiness = fresh.http().send("GET", "/actuator/health/readiness", null, null);
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(ApiClient.json(readiness).at("/components/schemas/status").asString()).isEqualTo("UP");

        int requests = 24;
        CyclicBarrier together = new CyclicBarrier(requests);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String body = "{\"name\":\"First burst " + i + "\"}";
                answers.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return fresh.http().patchEvaluation("eval_acme_running", fresh.token("acme_editor"), body)
                            .timeout(Duration.ofSeconds(90)).send();
                }));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAdapterStartedWithoutItsRegistryIsUnreadyUntilTheRegistryComesAndThenRegistersItsSchemas() {
        SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("warmup-late");
        int registryPort = FreePorts.find();
        String registryUrl = "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
        ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(new PatchbayApps.Settings(ns.bootstrapServers(),
                ns.jdbcUrl(), registryUrl, ns.topicPrefix(), 0, null), Map.of());
        try {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));
            HttpResponse<String> unready = http.send("GET", "/actuator/health/readiness", null, null);
            assertThat(unready.statusCode()).as("started, but not ready: " + unready.body()).isEqualTo(503);
            assertThat(ApiClient.json(unready).at("/components/schemas/status").asString()).isEqualTo("DOWN");

            try (SchemaRegistryProcess registry = SchemaRegistryProcess.start(registryPort, null,
                    Path.of("target", "registry-warmup-late.log"))) {
                Poll.until("the adapter ready once its registry answers", DEADLINE, Duration.ofMillis(250),
                        () -> http.send("GET", "/actuator/health/readiness", null, null).statusCode() == 200);

                String subject = new Topics(ns.topicPrefix()).commands(ResourceType.EVALUATION) + "-value";
                assertThat(uncached(registry.url()).lookup(subject, EvaluationUpdateCommand.getClassSchema())).isPositive();
            }
        } finally {
            adapter.close();
        }
    }

    /** A client of its own, so that the JVM's shared client (which the apps fill) does not answer for the registry. */
    private static SchemaRegistryClient uncached(String url) {
        return new HttpSchemaRegistryClient(ConnectionSettings.of(url));
    }
}
