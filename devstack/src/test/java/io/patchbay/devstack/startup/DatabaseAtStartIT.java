package io.patchbay.devstack.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.jdbi.StorePlugin;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * The apps started while PostgreSQL is away (down, restarting, not yet up in a fresh deployment): the processor waits
 * for it, up to {@code patchbay.processor.database-wait}, instead of exiting during start, and says clearly when it
 * gives up; the adapter needs no database to start and is unready until it answers. Real parts: an embedded PostgreSQL
 * of the test's own that it stops and starts, the shared broker and registry, both apps as in production.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseAtStartIT {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String WAITING = "Waiting for PostgreSQL (attempt ";

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("dbwait");

    @Test
    void aProcessorStartedWhilePostgresIsDownWaitsForItThenMigratesAndApplies(CapturedOutput output, @TempDir Path data)
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start(FreePorts.find(), data)) {
            String jdbcUrl = postgres.createDatabase("patchbay");
            postgres.stop();
            int processorPort = FreePorts.find();
            CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(
                    () -> PatchbayApps.startProcessor(settings(jdbcUrl), Map.of("server.port", String.valueOf(processorPort))));
            ConfigurableApplicationContext adapter = null;
            ConfigurableApplicationContext processor = null;
            try {
                Poll.until("the processor waits for PostgreSQL a second time", DEADLINE,
                        () -> output.getOut().contains(WAITING + "2") || starting.isDone());
                assertThat(starting).as("still starting while PostgreSQL is down").isNotDone();
                assertThat(readiness(processorPort)).as("the waiting processor's management port does not answer").isEqualTo(-1);
                adapter = PatchbayApps.startAdapter(settings(jdbcUrl), Map.of());
                int adapterPort = PatchbayApps.localPort(adapter);
                assertThat(readiness(adapterPort)).as("the adapter, started without its database, is not ready").isEqualTo(503);

                postgres.restart();

                processor = starting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                Jdbi jdbi = Jdbi.create(jdbcUrl).installPlugin(new StorePlugin());
                int migrations = jdbi.withHandle(h -> h.createQuery("select count(*) from flyway_schema_history where success")
                        .mapTo(Integer.class).one());
                assertThat(migrations).as("migrations the processor applied").isPositive();
                DemoData.seed(jdbi, PatchbayApps.apiKeyHasher());
                EvaluationUpdateCommand rename = TestCommands.renameEvaluation("eval_acme_running", DemoData.ACME,
                        "acme_editor", "Renamed after the outage");
                try (KafkaTopics kafka = new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), ns.topics())) {
                    kafka.produce(ns.topics().commands(ResourceType.EVALUATION), "eval_acme_running", rename);
                    assertThat(kafka.awaitResult(rename.getMetadata().getCommandId()).getStatus())
                            .isEqualTo(CommandStatus.APPLIED);
                }
                Poll.until("both apps ready", DEADLINE,
                        () -> readiness(processorPort) == 200 && readiness(adapterPort) == 200);
            } finally {
                close(adapter);
                close(processor != null ? processor : starting.handle((app, failure) -> app).getNow(null));
            }
        }
    }

    @Test
    void aProcessorGivesUpWithAClearErrorOnceTheDatabaseWaitHasPassed(CapturedOutput output) {
        String password = "not-for-any-log-" + System.nanoTime();
        String nobodyListens = "jdbc:postgresql://127.0.0.1:" + FreePorts.find() + "/patchbay";
        long start = System.nanoTime();

        Throwable failure = catchThrowable(() -> PatchbayApps.startProcessor(settings(nobodyListens),
                Map.of("patchbay.processor.database-wait", "3s", "spring.datasource.password", password)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(cause(failure)).as("the reason the processor did not start").isNotNull()
                .hasMessageStartingWith("PostgreSQL did not accept a connection within 3 s (")
                .hasMessageContaining("patchbay.processor.database-wait sets how long to wait")
                .hasMessageContaining("[SQLSTATE 08001]");
        assertThat(took).as("it waited out the bound, no more than a start takes beyond it")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(90));
        assertThat(output.getOut()).contains(WAITING + "1,").doesNotContain(password);
    }

    @Test
    void aProcessorFailsAtOnceWhenTheDatabaseRefusesWhatNoWaitCures() {
        String noSuchDatabase = ns.jdbcUrl().replaceFirst("/([^/?]+)(\\?|$)", "/no_such_database_$1$2");
        long start = System.nanoTime();

        Throwable failure = catchThrowable(() -> PatchbayApps.startProcessor(settings(noSuchDatabase), Map.of()));

        assertThat(cause(failure)).as("the reason the processor did not start").isNotNull()
                .hasMessageStartingWith("PostgreSQL refused the connection: ").hasMessageContaining("[SQLSTATE 3D000]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well within the default wait of 5 minutes")
                .isLessThan(Duration.ofSeconds(90));
    }

    private PatchbayApps.Settings settings(String jdbcUrl) {
        return new PatchbayApps.Settings(ns.bootstrapServers(), jdbcUrl, ns.registryUrl(), ns.topics().prefix(), 0, null);
    }

    /** The wait's own error among the causes of a failed start (Spring wraps it in bean creation errors). */
    private static Throwable cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().startsWith("PostgreSQL ")) {
                return t;
            }
        }
        return null;
    }

    private static int readiness(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void close(ConfigurableApplicationContext app) {
        if (app != null) {
            app.close();
        }
    }
}
