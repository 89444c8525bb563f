package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.Store;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/commands/{id}} without a database write per request (issue 11): a command accepted by one
 * adapter is PENDING through another while the processor has not decided it, then shows its outcome; ids the
 * adapter did not mint for the caller's team are 404.
 */
class CommandStatusIT {

    private static final String EVALUATION = "/api/v1/evaluations/";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SharedInfrastructure.Namespace ns;
    private static PatchbayApps.Settings settings;
    private static DemoData.Facts demo;

    @BeforeAll
    static void database() {
        ns = SharedInfrastructure.newNamespace("status");
        demo = DemoData.seed(Store.on(new org.postgresql.ds.PGSimpleDataSource() {{
            setUrl(ns.jdbcUrl());
            setUser(PostgresServer.USER);
        }}).migrate().jdbi());
        settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(), ns.topicPrefix(), 0, null);
    }

    @Test
    void aCommandWhoseAdapterRestartedBeforeTheProcessorDecidedIsPendingThenDecided() throws Exception {
        String evaluation = acmeEvaluation();
        HttpResponse<String> accepted;
        try (ConfigurableApplicationContext first = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            accepted = send("PATCH", base(first) + EVALUATION + evaluation, "acme_editor", "{\"name\":\"while nobody decides\"}");
        }
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String commandId = location.substring(location.lastIndexOf('/') + 1);
        String requestId = accepted.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode acceptedBody = JsonValues.MAPPER.readTree(accepted.body());

        try (ConfigurableApplicationContext second = PatchbayApps.startAdapter(settings, Map.of())) {
            String status = base(second) + "/api/v1/commands/" + commandId;
            HttpResponse<String> pending = send("GET", status, "acme_readonly", null);

            assertThat(pending.statusCode()).isEqualTo(200);
            JsonNode body = JsonValues.MAPPER.readTree(pending.body());
            assertThat(body).isEqualTo(acceptedBody);
            assertThat(body.get("status").stringValue()).isEqualTo("PENDING");
            assertThat(body.get("path").stringValue()).isEqualTo(EVALUATION + evaluation);
            assertThat(body.get("requestId").stringValue()).isEqualTo(requestId);

            try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of())) {
                JsonNode decided = Poll.value("the command decided", Duration.ofSeconds(60), () -> {
                    JsonNode now = JsonValues.MAPPER.readTree(send("GET", status, "acme_editor", null).body());
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
    void forgedOtherTeamsUnknownAndMalformedCommandIdsAre404() throws Exception {
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            HttpResponse<String> accepted = send("PATCH", base(adapter) + EVALUATION + acmeEvaluation(), "acme_editor",
                    "{\"name\":\"someone else's\"}");
            String location = accepted.headers().firstValue("Location").orElseThrow();
            String commandId = location.substring(location.lastIndexOf('/') + 1);
            char last = commandId.charAt(commandId.length() - 1);
            String forged = commandId.substring(0, commandId.length() - 1) + (last == '0' ? '1' : '0');
            String status = base(adapter) + "/api/v1/commands/";

            assertThat(send("GET", status + commandId, "acme_viewer", null).statusCode()).isEqualTo(200);
            for (String[] attempt : new String[][] {{commandId, "globex_owner"}, {forged, "acme_viewer"},
                    {Ids.uuidV7(), "acme_viewer"}, {"not-a-command-id", "acme_viewer"}, {commandId.toUpperCase(), "acme_viewer"}}) {
                HttpResponse<String> response = send("GET", status + attempt[0], attempt[1], null);
                assertThat(response.statusCode()).as(attempt[0] + " as " + attempt[1]).isEqualTo(404);
                assertThat(response.body()).contains("\"code\":\"command_not_found\"");
            }
        }
    }

    private static String acmeEvaluation() {
        return demo.resources().stream().filter(r -> r.type().equals("evaluation") && r.teamId().equals(DemoData.ACME))
                .findFirst().orElseThrow().id();
    }

    private static String base(ConfigurableApplicationContext adapter) {
        return "http://127.0.0.1:" + PatchbayApps.localPort(adapter);
    }

    private static HttpResponse<String> send(String method, String url, String keyId, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + demo.key(keyId).token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        }
    }
}
