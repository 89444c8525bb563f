package io.patchbay.devstack.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * Both apps' {@code /actuator/prometheus} after traffic of every kind on the devstack stack: each patchbay meter the
 * README documents has grown where traffic was sent (scraped before and after, so other tests' traffic cannot make
 * it pass), the processor's consumer reports its lag per partition of the commands topics, and every series the
 * Grafana dashboard queries is in these scrapes.
 */
class MetricsIT {

    private static final String EVALUATIONS = "/api/v1/evaluations/";
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static Scrape adapterBefore;
    private static Scrape processorBefore;
    private static Scrape adapterAfter;
    private static Scrape processorAfter;
    private static Scrape failingAdapter;

    @BeforeAll
    static void traffic() throws Exception {
        adapterBefore = Scrape.of(fx.apps().httpPort());
        processorBefore = Scrape.of(fx.apps().processorManagementPort());
        String editor = fx.token("acme_editor");

        String evaluation = fx.data().newEvaluation(DemoData.ACME);
        assertThat(patch(evaluation, editor, "{\"name\":\"metrics\"}").statusCode()).isEqualTo(200);
        assertThat(patch(evaluation, editor, "{\"name\":\"metrics\"}").statusCode()).isEqualTo(200);
        assertThat(patch("eval_missing_" + UUID.randomUUID().toString().replace("-", ""), editor, "{\"name\":\"x\"}")
                .statusCode()).isEqualTo(404);
        String key = "metrics-" + UUID.randomUUID();
        assertThat(patch(evaluation, editor, "{\"name\":\"keyed\"}", "Idempotency-Key", key).statusCode()).isEqualTo(200);
        assertThat(patch(evaluation, editor, "{\"name\":\"keyed\"}", "Idempotency-Key", key)
                .headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(patch(evaluation, editor, "{\"name\":\"other\"}", "Idempotency-Key", key).statusCode()).isEqualTo(409);
        assertThat(patch(evaluation, editor, "{\"name\":\"async\"}", "Prefer", "respond-async").statusCode()).isEqualTo(202);
        fx.pauseProcessor();
        try {
            assertThat(patch(evaluation, editor, "{\"name\":\"nobody decides in time\"}").statusCode()).isEqualTo(202);
        } finally {
            fx.resumeProcessor();
        }
        String automation = fx.insertAutomation(DemoData.ACME, b -> { }).getId();
        assertThat(fx.http().send("PATCH", "/api/automations/" + automation + "/", editor, "{\"is_enabled\": false}").statusCode())
                .isEqualTo(200);
        assertThat(fx.http().send("GET", EVALUATIONS + evaluation, null, null).statusCode()).isEqualTo(401);
        assertThat(fx.http().send("GET", EVALUATIONS + evaluation, "pb.nobody.wrong-secret", null).statusCode()).isEqualTo(401);
        assertThat(fx.http().send("GET", "/api/automations/" + automation + "/", "pb.nobody.wrong-secret", null).statusCode())
                .isEqualTo(401);
        poisonRecord();

        Poll.until("the poison record dead-lettered and the lag metrics bound", Duration.ofSeconds(60),
                () -> Scrape.of(fx.apps().processorManagementPort()),
                scrape -> grew(processorBefore, scrape, "patchbay_records_dead_lettered_total", "cause", "undecodable")
                        && grew(processorBefore, scrape, "patchbay_commands_decided_total", "outcome", "unchanged")
                        && !scrape.select("kafka_consumer_fetch_manager_records_lag").isEmpty());
        adapterAfter = Scrape.of(fx.apps().httpPort());
        processorAfter = Scrape.of(fx.apps().processorManagementPort());
        adapterAfter.saveAs("adapter");
        processorAfter.saveAs("processor");
        failingAdapter = scrapeAfterAFailedPublish(editor, evaluation);
    }

    @Test
    void adapterCountsCommandsByApiAndResource() {
        assertGrew(adapterBefore, adapterAfter, "patchbay_commands_received_total", "api", "autousers", "resource", "evaluation");
        assertGrew(adapterBefore, adapterAfter, "patchbay_commands_received_total", "api", "respan", "resource", "automation");
    }

    @Test
    void adapterCountsWaitsEndingIn202ApartFromRespondAsync() {
        assertGrew(adapterBefore, adapterAfter, "patchbay_commands_accepted_total", "reason", "wait_expired");
        assertGrew(adapterBefore, adapterAfter, "patchbay_commands_accepted_total", "reason", "respond_async");
    }

    @Test
    void adapterCountsIdempotencyReplaysAndConflicts() {
        assertGrew(adapterBefore, adapterAfter, "patchbay_idempotency_replays_total", "resource", "evaluation");
        assertGrew(adapterBefore, adapterAfter, "patchbay_idempotency_conflicts_total", "resource", "evaluation");
    }

    @Test
    void adapterCountsAuthenticationFailuresByApiAndReason() {
        assertGrew(adapterBefore, adapterAfter, "patchbay_authentication_failures_total", "api", "autousers", "reason", "missing");
        assertGrew(adapterBefore, adapterAfter, "patchbay_authentication_failures_total", "api", "autousers", "reason", "invalid");
        assertGrew(adapterBefore, adapterAfter, "patchbay_authentication_failures_total", "api", "respan", "reason", "invalid");
    }

    @Test
    void adapterCountsPublishFailures() {
        assertThat(failingAdapter.sum("patchbay_commands_publish_failures_total", "resource", "evaluation")).isPositive();
        assertThat(failingAdapter.sum("kafka_producer_record_error_total")).isPositive();
    }

    @Test
    void processorCountsOutcomesWithTheirReasonCodes() {
        assertGrew(processorBefore, processorAfter, "patchbay_commands_decided_total", "resource", "evaluation", "outcome", "applied");
        assertGrew(processorBefore, processorAfter, "patchbay_commands_decided_total", "outcome", "unchanged", "reason", "none");
        assertGrew(processorBefore, processorAfter, "patchbay_commands_decided_total", "outcome", "rejected",
                "reason", "evaluation_not_found");
        assertGrew(processorBefore, processorAfter, "patchbay_commands_decided_total", "resource", "automation", "outcome", "applied");
    }

    @Test
    void processorRecordsDecisionLatencyAndBatchSizeAsHistograms() {
        assertGrew(processorBefore, processorAfter, "patchbay_command_decision_latency_seconds_count", "resource", "evaluation");
        assertThat(processorAfter.select("patchbay_command_decision_latency_seconds_bucket", "resource", "evaluation"))
                .hasSizeGreaterThan(10);
        assertGrew(processorBefore, processorAfter, "patchbay_batch_size_records_count");
        assertThat(processorAfter.select("patchbay_batch_size_records_bucket", "le", "1.0")).hasSize(1);
    }

    @Test
    void processorCountsDeadLettersAndShowsParkedRecords() {
        assertGrew(processorBefore, processorAfter, "patchbay_records_dead_lettered_total", "cause", "undecodable");
        assertThat(processorAfter.sum("patchbay_records_parked")).isPositive();
    }

    @Test
    void processorExposesItsPublishFailureAndPartitionCountersBeforeAnyHappens() {
        assertThat(processorAfter.select("patchbay_outcomes_publish_failures_total")).hasSize(1);
        assertThat(processorAfter.select("patchbay_partitions_revoked_total")).hasSize(1);
        assertThat(processorAfter.select("patchbay_partitions_lost_total")).hasSize(1);
    }

    @Test
    void processorReportsConsumerLagPerPartitionOfTheCommandsTopics() {
        for (ResourceType type : ResourceType.values()) {
            String topic = fx.topics().commands(type);
            assertThat(processorAfter.select("kafka_consumer_fetch_manager_records_lag").stream()
                    .filter(sample -> topic.equals(sample.labels().get("topic"))))
                    .as("lag of %s", topic).extracting(sample -> sample.labels().get("partition"))
                    .containsExactlyInAnyOrder("0", "1", "2");
        }
    }

    @Test
    void bothAppsServeLivenessAndReadinessGroupsForOrchestrators() throws Exception {
        for (int port : new int[] {fx.apps().httpPort(), fx.apps().processorManagementPort()}) {
            JsonNode liveness = health(port, "liveness");
            JsonNode readiness = health(port, "readiness");
            assertThat(liveness.get("status").stringValue()).isEqualTo("UP");
            assertThat(readiness.get("status").stringValue()).isEqualTo("UP");
            assertThat(readiness.get("components").propertyNames()).containsExactlyInAnyOrder("db", "kafka", "schemas", "readinessState");
        }
    }

    @Test
    void everySeriesTheDashboardQueriesIsInARealScrape() {
        Set<String> scraped = new TreeSet<>(adapterAfter.names());
        scraped.addAll(processorAfter.names());
        for (String expression : MonitoringFiles.dashboardExpressions()) {
            assertThat(scraped).as(expression).containsAll(MonitoringFiles.metricNames(expression));
        }
    }

    private static JsonNode health(int port, String group) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/health/" + group)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s on port %d", group, port).isEqualTo(200);
        return JsonValues.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> patch(String id, String token, String body, String... headers) {
        return fx.http().send("PATCH", EVALUATIONS + id, token, body, headers);
    }

    /** A record that is not in the Confluent wire format, under a key of its own: dead-lettered, its key parked. */
    private static void poisonRecord() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                fx.namespace().bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(fx.topics().commands(ResourceType.EVALUATION),
                    "eval_metrics_poison_" + UUID.randomUUID(), "not the wire format".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** A second adapter whose producer refuses every record (too large), after one PATCH through it. */
    private static Scrape scrapeAfterAFailedPublish(String token, String evaluation) throws Exception {
        PatchbayApps.Settings settings = new PatchbayApps.Settings(fx.namespace().bootstrapServers(), fx.namespace().jdbcUrl(),
                fx.namespace().registryUrl(), fx.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings,
                Map.of("spring.kafka.producer.properties.max.request.size", "64"))) {
            int port = PatchbayApps.localPort(adapter);
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + EVALUATIONS + evaluation)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"never published\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(500);
            return Scrape.of(port);
        }
    }

    private static boolean grew(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) > before.sum(name, labels);
    }

    private static void assertGrew(Scrape before, Scrape after, String name, String... labels) {
        assertThat(after.sum(name, labels)).as("%s%s", name, Arrays.toString(labels))
                .isGreaterThan(before.sum(name, labels));
    }
}
