package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.Ids;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/commands/{id}} without a database write per request (issue 11): a command accepted by one
 * adapter is PENDING through another while the processor has not decided it, then shows its outcome; ids the
 * adapter did not mint for the caller's team are 404.
 */
class CommandStatusIT {

    @RegisterExtension
    static final TestNamespace ns = TestNamespace.named("status");

    private static PatchbayApps.Settings settings;
    private static DemoData.Facts demo;

    @BeforeAll
    static void demoData() {
        demo = DemoData.seed(ns.jdbi(), PatchbayApps.apiKeyHasher());
        settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
    }

    @Test
    void aCommandWhoseAdapterRestartedBeforeTheProcessorDecidedIsPendingThenDecided() {
        String evaluation = acmeEvaluation();
        HttpResponse<String> accepted;
        try (ConfigurableApplicationContext first = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            accepted = http(first).patchEvaluation(evaluation, token("acme_editor"), "{\"name\":\"while nobody decides\"}").send();
        }
        assertThat(accepted.statusCode()).isEqualTo(202);
        String commandId = commandOf(accepted);
        String requestId = accepted.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode acceptedBody = ApiClient.json(accepted);

        try (ConfigurableApplicationContext second = PatchbayApps.startAdapter(settings, Map.of())) {
            ApiClient http = http(second);
            HttpResponse<String> pending = status(http, commandId, "acme_readonly");

            assertThat(pending.statusCode()).isEqualTo(200);
            JsonNode body = ApiClient.json(pending);
            assertThat(body).isEqualTo(acceptedBody);
            assertThat(body.get("status").stringValue()).isEqualTo("PENDING");
            assertThat(body.get("path").stringValue()).isEqualTo(ApiClient.evaluationPath(evaluation));
            assertThat(body.get("requestId").stringValue()).isEqualTo(requestId);

            try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of())) {
                JsonNode decided = Poll.value("the command decided", Duration.ofSeconds(60), () -> {
                    JsonNode now = ApiClient.json(status(http, commandId, "acme_editor"));
                    return now.get("status").stringValue().equals("PENDING") ? null : now;
                });
                assertThat(decided.get("status").stringValue()).isEqualTo("APPLIED");
                assertThat(decided.get("outcome").get("status").asInt()).isEqualTo(200);
                assertThat(decided.get("outcome").get("body").get("name").stringValue()).isEqualTo("while nobody decides");
                for (String field : new String[] {"id", "method", "path", "requestId", "createdAt"}) {
                    assertThat(decided.get(field)).as(field).isEqualTo(body.get(field));
                }
            }
        }
    }

    @Test
    void forgedOtherTeamsUnknownAndMalformedCommandIdsAre404() {
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            ApiClient http = http(adapter);
            HttpResponse<String> accepted = http.patchEvaluation(acmeEvaluation(), token("acme_editor"),
                    "{\"name\":\"someone else's\"}").send();
            String commandId = commandOf(accepted);
            char last = commandId.charAt(commandId.length() - 1);
            String forged = commandId.substring(0, commandId.length() - 1) + (last == '0' ? '1' : '0');

            assertThat(status(http, commandId, "acme_viewer").statusCode()).isEqualTo(200);
            for (String[] attempt : new String[][] {{commandId, "globex_owner"}, {forged, "acme_viewer"},
                    {Ids.uuidV7(), "acme_viewer"}, {"not-a-command-id", "acme_viewer"}, {commandId.toUpperCase(), "acme_viewer"}}) {
                HttpResponse<String> response = status(http, attempt[0], attempt[1]);
                assertThat(response.statusCode()).as(attempt[0] + " as " + attempt[1]).isEqualTo(404);
                assertThat(response.body()).contains("\"code\":\"command_not_found\"");
            }
        }
    }

    private static String acmeEvaluation() {
        return demo.resources().stream().filter(r -> r.type().equals("evaluation") && r.teamId().equals(DemoData.ACME))
                .findFirst().orElseThrow().id();
    }

    private static String token(String keyId) {
        return demo.key(keyId).token();
    }

    private static ApiClient http(ConfigurableApplicationContext adapter) {
        return new ApiClient(PatchbayApps.localPort(adapter));
    }

    private static HttpResponse<String> status(ApiClient http, String commandId, String keyId) {
        return http.call("GET", "/api/v1/commands/" + commandId).token(token(keyId)).send();
    }

    private static String commandOf(HttpResponse<String> accepted) {
        String location = accepted.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
