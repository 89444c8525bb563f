package io.patchbay.devstack.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;

/**
 * The production split README "Metrics" recommends: with {@code management.server.port} the adapter's actuator
 * (health groups, Prometheus) listens on a port of its own, leaves the public port, and keeps answering when the
 * public port's connections are all taken, as they are when clients pile up on an overloaded adapter (the benchmark
 * saw 8,353 connections held against Tomcat's 8,192). Real parts: the shared broker, registry and PostgreSQL.
 */
class ManagementPortIT {

    private static final int PUBLIC_CONNECTIONS = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("mgmtport");

    @Test
    void actuatorAnswersOnItsOwnPortWhileThePublicPortHasNoConnectionLeft() throws Exception {
        FaultData.seed(ns.jdbi(), 1);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        int managementPort = FreePorts.find();
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                "management.server.port", Integer.toString(managementPort),
                "server.tomcat.max-connections", Integer.toString(PUBLIC_CONNECTIONS),
                "server.tomcat.accept-count", "1", "server.tomcat.connection-timeout", "120s"))) {
            ApiClient publicPort = new ApiClient(PatchbayApps.localPort(adapter));
            ApiClient management = new ApiClient(managementPort);
            Poll.until("the adapter is ready on its management port", DEADLINE,
                    () -> status(management, "/actuator/health/readiness") == 200);

            assertThat(management.call("GET", "/actuator/prometheus").send().body())
                    .contains("patchbay_commands_received_total");
            HttpResponse<String> onPublicPort = publicPort.call("GET", "/actuator/prometheus").send();
            assertThat(onPublicPort.statusCode()).as("the public port serves no metrics").isNotEqualTo(200);
            assertThat(onPublicPort.body()).doesNotContain("patchbay_commands_received_total");

            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < PUBLIC_CONNECTIONS + 1; i++) {
                    held.add(new Socket("127.0.0.1", PatchbayApps.localPort(adapter)));
                }
                ApiClient newClient = new ApiClient(PatchbayApps.localPort(adapter));
                assertThatThrownBy(() -> newClient.call("GET", ApiClient.evaluationPath("eval_f000")).token(FaultData.TOKEN)
                        .timeout(Duration.ofSeconds(3)).send())
                        .as("the public port accepts no further connection").isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(HttpTimeoutException.class);

                HttpResponse<String> readiness = management.call("GET", "/actuator/health/readiness")
                        .timeout(Duration.ofSeconds(10)).send();
                assertThat(readiness.statusCode()).isEqualTo(200);
                assertThat(readiness.body()).contains("\"UP\"");
                assertThat(status(management, "/actuator/health/liveness")).isEqualTo(200);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            Poll.until("the public port answers again once the connections close", DEADLINE,
                    () -> status(new ApiClient(PatchbayApps.localPort(adapter)), ApiClient.evaluationPath("eval_f000")) == 401);
        }
    }

    private static int status(ApiClient client, String path) {
        try {
            return client.call("GET", path).timeout(Duration.ofSeconds(5)).send().statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }
}
