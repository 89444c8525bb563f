package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.CommandLogRows;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * RELIABILITY.md finding 4: a publish that fails after the broker appended the record (here the producer's
 * acknowledgement is lost on purpose, {@link LostAcknowledgements}, so the failure is deterministic) must not free
 * the Idempotency-Key. The first request is answered 503 with {@code Retry-After}; the claim keeps its command id; the
 * client's retry, on another adapter, publishes the same command id again at once (not after the 30 s lease) or
 * replays its outcome, and the resource changes exactly once.
 */
class AmbiguousPublishIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("ambiguous-publish");

    private final LostAcknowledgements lostAcks = new LostAcknowledgements();
    private PatchbayApps.Settings settings;
    private ConfigurableApplicationContext failing;
    private ConfigurableApplicationContext other;
    private ConfigurableApplicationContext processor;
    private KafkaTopics kafka;

    private void start(boolean withProcessor) {
        FaultData.seed(ns.jdbi(), 1);
        settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        kafka = new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), ns.topics());
        if (withProcessor) {
            processor = PatchbayApps.startProcessor(settings, Map.of());
        }
        // a budget that outlasts the processor's first partition assignment, so that a decided command is a 200
        Map<String, String> adapter = Map.of("patchbay.api.command-wait", "30s");
        failing = PatchbayApps.startAdapter(settings, adapter, lostAcks.initializer());
        other = PatchbayApps.startAdapter(settings, adapter);
    }

    @AfterEach
    void stop() {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {other, failing, processor}) {
            if (app != null) {
                app.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRetryOnAnotherAdapterPublishesTheSameCommandAgainAtOnceAndTheResourceChangesOnce() {
        start(false);
        String evaluation = "eval_f000";
        String key = "ambiguous-evaluation";
        String body = "{\"name\":\"renamed once\"}";

        FailedAttempt attempt = sendLosingTheAcknowledgement(key,
                http(failing).patchEvaluation(evaluation, FaultData.TOKEN, body).idempotencyKey(key));

        HttpResponse<String> first = attempt.answer();
        assertThat(first.headers().firstValue("Location")).isEmpty();
        assertThat(ApiClient.json(first).get("error").get("type").stringValue()).isEqualTo("api_error");
        assertThat(ApiClient.json(first).get("error").get("code").stringValue()).isEqualTo("idempotency_key_in_progress");
        assertThat(ApiClient.json(first).get("error").get("param").stringValue()).isEqualTo("Idempotency-Key");
        String firstRequestId = attempt.requestId();
        Claim claim = attempt.claim();
        assertThat(claim.state()).as("the failed publish keeps the claim").isEqualTo("CLAIMED");
        assertThat(claim.leaseUntil()).as("and ends its lease at once").isBeforeOrEqualTo(claim.createdAt());
        assertThat(commandRecords(ResourceType.EVALUATION, claim.commandId())).as("the record is in the log all the same")
                .hasSize(1);

        HttpResponse<String> retry = http(other).patchEvaluation(evaluation, FaultData.TOKEN, body).idempotencyKey(key)
                .header("Prefer", "respond-async").send();

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/v1/commands/" + claim.commandId()));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retry.headers().firstValue("X-Request-Id")).contains(firstRequestId);
        assertThat(commandRecords(ResourceType.EVALUATION, claim.commandId()))
                .as("the retry published the same command id again, no new command").hasSize(2);
        assertThat(commandIdsOnTopic(ResourceType.EVALUATION)).containsOnly(claim.commandId());
        assertThat(claim(key).state()).isEqualTo("SUBMITTED");

        processor = PatchbayApps.startProcessor(settings, Map.of());
        Poll.until("the processor decides the command", DEADLINE, () -> decided(claim.commandId()));
        HttpResponse<String> replay = http(failing).patchEvaluation(evaluation, FaultData.TOKEN, body).idempotencyKey(key)
                .send();

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(replay.headers().firstValue("X-Request-Id")).contains(firstRequestId);
        assertThat(ApiClient.json(replay).get("name").stringValue()).isEqualTo("renamed once");
        assertAppliedOnce("evaluation", evaluation, claim.commandId());
        assertThat(kafka.evaluationChanges(evaluation)).as("one change event").hasSize(1);
    }

    @Test
    void aRetryAfterTheAmbiguouslyPublishedCommandWasDecidedReplaysItsOutcomeAndPublishesNothing() {
        start(true);
        String automation = "auto_f000";
        String key = "ambiguous-automation";
        String body = "{\"name\":\"renamed once\"}";
        // one request first: the registry does not take concurrent first registrations of a schema
        assertThat(http(other).patchAutomation(automation, FaultData.TOKEN, "{\"name\":\"warm-up\"}").send().statusCode())
                .isEqualTo(200);

        FailedAttempt attempt = sendLosingTheAcknowledgement(key,
                http(failing).patchAutomation(automation, FaultData.TOKEN, body).idempotencyKey(key));

        assertThat(ApiClient.json(attempt.answer()).get("code").stringValue()).isEqualTo("idempotency_key_in_progress");
        String firstRequestId = attempt.requestId();
        Claim claim = attempt.claim();
        Poll.until("the processor decides the appended command", DEADLINE, () -> decided(claim.commandId()));

        HttpResponse<String> retry = http(other).patchAutomation(automation, FaultData.TOKEN, body).idempotencyKey(key).send();

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retry.headers().firstValue("X-Request-Id")).contains(firstRequestId);
        assertThat(ApiClient.json(retry).get("name").stringValue()).isEqualTo("renamed once");
        assertThat(commandRecords(ResourceType.AUTOMATION, claim.commandId())).as("nothing published again").hasSize(1);
        assertAppliedOnce("automation", automation, claim.commandId(), 3);
    }

    /** The first attempt's 503 (its publish reported failed although the broker appended it), and the claim it left. */
    private record FailedAttempt(HttpResponse<String> answer, String requestId, Claim claim) {
    }

    private FailedAttempt sendLosingTheAcknowledgement(String key, ApiClient.Call request) {
        lostAcks.loseTheAcknowledgementOf(key);
        HttpResponse<String> answer = request.send();
        assertThat(lostAcks.lost()).as("the broker appended the record whose publish was reported failed").isEqualTo(1);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        return new FailedAttempt(answer, answer.headers().firstValue("X-Request-Id").orElseThrow(), claim(key));
    }

    private static ApiClient http(ConfigurableApplicationContext adapter) {
        return new ApiClient(PatchbayApps.localPort(adapter));
    }

    /** A claim as stored. */
    private record Claim(String commandId, String state, Timestamp leaseUntil, Timestamp createdAt) {
    }

    private Claim claim(String key) {
        return ns.jdbi().withHandle(h -> h.createQuery("select command_id, state, lease_until, created_at from command_request"
                        + " where idempotency_key = :key").bind("key", key)
                .map((rs, ctx) -> new Claim(rs.getString(1), rs.getString(2), rs.getTimestamp(3), rs.getTimestamp(4)))
                .one());
    }

    private boolean decided(String commandId) {
        return CommandLogRows.of(ns.jdbi(), commandId) == 1;
    }

    private List<ConsumerRecord<String, Object>> commandRecords(ResourceType type, String commandId) {
        return kafka.readAll(ns.topics().commands(type)).stream()
                .filter(record -> commandId.equals(commandIdOf(record))).toList();
    }

    private List<String> commandIdsOnTopic(ResourceType type) {
        return kafka.readAll(ns.topics().commands(type)).stream().map(AmbiguousPublishIT::commandIdOf).toList();
    }

    private static String commandIdOf(ConsumerRecord<String, Object> record) {
        Header header = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void assertAppliedOnce(String table, String id, String commandId) {
        assertAppliedOnce(table, id, commandId, 2);
    }

    /** The resource is at {@code version}, and {@code commandId} is the one command log entry and change of its last version. */
    private void assertAppliedOnce(String table, String id, String commandId, long version) {
        ns.jdbi().useHandle(h -> {
            assertThat(h.createQuery("select version from " + table + " where id = :id").bind("id", id)
                    .mapTo(Long.class).one()).as("version + 1").isEqualTo(version);
            assertThat(CommandLogRows.of(h, commandId)).as("one command log row").isEqualTo(1);
            assertThat(h.createQuery("select command_id from change_log where resource_id = :id and version = :v")
                    .bind("id", id).bind("v", version).mapTo(String.class).list()).containsExactly(commandId);
            assertThat(h.createQuery("select count(*) from change_log where resource_id = :id").bind("id", id)
                    .mapTo(Integer.class).one()).as("one change per applied command").isEqualTo((int) version - 1);
        });
    }
}
