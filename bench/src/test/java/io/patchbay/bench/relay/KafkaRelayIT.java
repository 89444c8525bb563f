package io.patchbay.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.patchbay.bench.BenchData;
import io.patchbay.bench.Databases;
import io.patchbay.devstack.infra.KafkaBroker;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.ThisJava;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka relay baseline does the work it stands for: a synchronous PATCH is answered with the row the applier
 * committed, a respond-async one is acknowledged and applied later, and what the CRUD baseline refuses it refuses too.
 */
class KafkaRelayIT {

    private static final String TOPIC = "relay-it-requests";
    private static final String REPLIES = "relay-it-replies";
    private static final BenchData DATA = new BenchData(40);

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static KafkaRelay relay;
    private static String jdbcUrl;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startRelay() {
        postgres = PostgresServer.start(0, null);
        kafka = KafkaBroker.start();
        kafka.createTopics(List.of(TOPIC), 3);
        kafka.createTopics(List.of(REPLIES), 1);
        Databases databases = new Databases(postgres);
        databases.createTemplate(DATA);
        jdbcUrl = databases.copy("relay_it");
        relay = KafkaRelay.start(kafka.bootstrapServers(), jdbcUrl, TOPIC, REPLIES, ThisJava.executable(),
                name -> List.of("-Xmx256m"), Path.of("target", "relay-it-logs"));
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        kafka.close();
        postgres.close();
    }

    @Test
    void answersASynchronousPatchWithTheRowTheApplierCommitted() throws Exception {
        String id = BenchData.evaluationId(1);
        long before = version("evaluation", id);

        HttpResponse<String> response = patch("/api/v1/evaluations/" + id, DATA.key(BenchData.teamOf(1), "editor").token(),
                "{\"name\":\"Relayed\"}", false);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode row = JsonMapper.builder().build().readTree(response.body());
        assertThat(row.get("name").asString()).isEqualTo("Relayed");
        assertThat(row.get("version").asLong()).isEqualTo(before + 1);
        assertThat(name("evaluation", id)).as("committed before the reply").isEqualTo("Relayed");
    }

    @Test
    void acknowledgesARespondAsyncPatchAndAppliesItAfterwards() throws Exception {
        String id = BenchData.automationId(2);

        HttpResponse<String> response = patch("/api/automations/" + id + "/", DATA.key(BenchData.teamOf(2), "editor").token(),
                "{\"name\":\"Relayed later\"}", true);

        assertThat(response.statusCode()).isEqualTo(202);
        Poll.until("the applier applied " + id, Duration.ofSeconds(30), () -> "Relayed later".equals(name("automation", id)));
    }

    @Test
    void refusesWhatTheCrudBaselineRefusesWithoutWriting() throws Exception {
        String id = BenchData.evaluationId(3);
        String token = DATA.key(BenchData.teamOf(3), "editor").token();
        String otherTeam = DATA.key((BenchData.teamOf(3) + 1) % BenchData.TEAMS, "editor").token();
        long before = version("evaluation", id);

        assertThat(patch("/api/v1/evaluations/" + id, "wrong", "{\"name\":\"x\"}", false).statusCode()).isEqualTo(401);
        assertThat(patch("/api/v1/evaluations/" + id, token, "{\"name\":", false).statusCode()).isEqualTo(400);
        assertThat(patch("/api/v1/evaluations/" + id, token, "[1]", false).statusCode()).isEqualTo(400);
        assertThat(patch("/api/v1/evaluations/" + id, otherTeam, "{\"name\":\"x\"}", false).statusCode()).isEqualTo(404);
        assertThat(patch("/api/v1/evaluations/nope", token, "{\"name\":\"x\"}", false).statusCode()).isEqualTo(404);

        assertThat(version("evaluation", id)).isEqualTo(before);
    }

    private HttpResponse<String> patch(String path, String token, String body, boolean respondAsync) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (respondAsync) {
            request.header("Prefer", "respond-async");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String name(String table, String id) {
        try {
            return column(table, id, "name");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long version(String table, String id) throws SQLException {
        return Long.parseLong(column(table, id, "version::text"));
    }

    private static String column(String table, String id, String column) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("select " + column + " from " + table + " where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(table + " " + id).isTrue();
                return rs.getString(1);
            }
        }
    }
}
