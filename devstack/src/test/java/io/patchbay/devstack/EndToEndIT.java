package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * The whole path for both resources against the real broker, database and registry: HTTP PATCH, Avro command
 * on Kafka, processor, PostgreSQL, change event (read with the project's own deserializer), HTTP answer.
 */
class EndToEndIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void evaluationPatchAnswersWithTheChangeAndPublishesExactlyOneEvent() {
        String name = "Checkout v2 " + UUID.randomUUID();
        HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/eval_acme_ended", fx.token("acme_editor"),
                "{\"name\":\"" + name + "\"}");

        assertThat(patch.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.json(patch);
        assertThat(body.get("name").stringValue()).isEqualTo(name);
        assertThat(body.get("links").get("preview").stringValue())
                .isEqualTo("https://app.example.com/evaluations/eval_acme_ended/preview");
        assertThat(patch.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        HttpResponse<String> get = fx.http().send("GET", "/api/v1/evaluations/eval_acme_ended", fx.token("acme_viewer"), null);
        assertThat(ApiClient.json(get).get("name").stringValue()).isEqualTo(name);

        List<EvaluationChanged> events = eventsMatching(fx.topics().changes(ResourceType.EVALUATION), EvaluationChanged.class,
                e -> e.getAfter().getName().equals(name));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getChangedFields()).containsExactly("name");
        assertThat(events.get(0).getVersion()).isEqualTo(events.get(0).getBefore().getVersion() + 1);
        assertThat(events.get(0).getActor().getApiKeyId()).isEqualTo("acme_editor");
    }

    @Test
    void automationPatchAnswersWithTheChangeAndPublishesExactlyOneEvent() {
        double rate = Math.round(Math.random() * 1000) / 1000.0;
        HttpResponse<String> patch = fx.http().send("PATCH", "/api/automations/auto_acme_safety/", fx.token("acme_editor"),
                "{\"is_enabled\": true, \"configuration\": {\"sampling_rate\": " + rate + "}}");

        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        JsonNode body = ApiClient.json(patch);
        assertThat(body.get("is_enabled").booleanValue()).isTrue();
        assertThat(body.get("configuration").get("sampling_rate").doubleValue()).isEqualTo(rate);
        assertThat(body.get("configuration").get("evaluator_ids")).isEqualTo(body.get("evaluator_ids"));
        HttpResponse<String> bySlug = fx.http().send("GET", "/api/automations/safety_monitor", fx.token("acme_viewer"), null);
        assertThat(ApiClient.json(bySlug).get("configuration").get("sampling_rate").doubleValue()).isEqualTo(rate);

        List<AutomationChanged> events = eventsMatching(fx.topics().changes(ResourceType.AUTOMATION), AutomationChanged.class,
                e -> rate == e.getAfter().getConfiguration().getSamplingRate());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getChangedFields()).contains("configuration");
    }

    @Test
    void sameCommandIdTwiceChangesTheRowOnceAndPublishesOneEvent() throws Exception {
        EvaluationUpdateCommand command = TestCommands.evaluation("eval_acme_running", DemoData.ACME, "acme_editor",
                EvaluationPatch.newBuilder().setDescription("sent twice " + UUID.randomUUID()).build());
        String commandId = command.getMetadata().getCommandId();
        long versionBefore = version("eval_acme_running");
        String topic = fx.topics().commands(ResourceType.EVALUATION);

        fx.kafka().produce(topic, "eval_acme_running", command);
        fx.kafka().produce(topic, "eval_acme_running", command);

        List<CommandResult> results = fx.kafka().readUntil(fx.topics().commandResults(),
                records -> resultsFor(records, commandId).size() == 2, DEADLINE).stream()
                .filter(r -> commandId.equals(r.key())).map(r -> (CommandResult) r.value()).toList();
        assertThat(results).extracting(CommandResult::getStatus).containsOnly(CommandStatus.APPLIED);
        awaitProcessorCommitted(topic);
        assertThat(version("eval_acme_running")).isEqualTo(versionBefore + 1);
        List<EvaluationChanged> events = fx.kafka().readAll(fx.topics().changes(ResourceType.EVALUATION)).stream()
                .map(r -> (EvaluationChanged) r.value()).filter(e -> e.getCommandId().equals(commandId)).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getVersion()).isEqualTo(versionBefore + 1);
    }

    @Test
    void unknownResourcesAndOtherTeamsResourcesAre404AndStayUnchanged() {
        long globexVersion = version("eval_globex_draft");
        HttpResponse<String> otherTeam = fx.http().send("PATCH", "/api/v1/evaluations/eval_globex_draft", fx.token("acme_owner"),
                "{\"name\":\"stolen\"}");
        HttpResponse<String> missing = fx.http().send("PATCH", "/api/v1/evaluations/eval_nope", fx.token("acme_owner"), "{\"name\":\"x\"}");
        HttpResponse<String> otherAutomation = fx.http().send("PATCH", "/api/automations/auto_globex_quality/", fx.token("acme_owner"),
                "{\"name\":\"stolen\"}");

        assertThat(otherTeam.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(otherTeam).get("error").get("code").stringValue()).isEqualTo("evaluation_not_found");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(otherAutomation.statusCode()).isEqualTo(404);
        assertThat(otherAutomation.body()).isEqualTo("{\"detail\":\"Automation not found\"}");
        assertThat(fx.http().send("GET", "/api/v1/evaluations/eval_globex_draft", fx.token("acme_owner"), null).statusCode()).isEqualTo(404);
        assertThat(version("eval_globex_draft")).isEqualTo(globexVersion);
    }

    @Test
    void respondAsyncAnswers202AndTheCommandResourceReportsTheOutcome() {
        HttpResponse<String> accepted = fx.http().send("PATCH", "/api/v1/evaluations/eval_acme_archived", fx.token("acme_editor"),
                "{\"allowMultipleRatings\": true}", "Prefer", "respond-async");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Preference-Applied")).hasValue("respond-async");
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://app.example.com/api/v1/commands/");
        String path = location.substring("https://app.example.com".length());
        JsonNode status = Poll.until("the command decided", DEADLINE,
                () -> ApiClient.json(fx.http().send("GET", path, fx.token("acme_editor"), null)),
                node -> !node.get("status").stringValue().equals("PENDING"));
        assertThat(status.get("status").stringValue()).isEqualTo("APPLIED");
        assertThat(status.get("outcome").get("status").intValue()).isEqualTo(200);
        assertThat(status.get("outcome").get("body").get("allowMultipleRatings").booleanValue()).isTrue();
        assertThat(fx.http().send("GET", path, fx.token("globex_owner"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void replaysStoredOutcomeForSameIdempotencyKey() {
        String key = "e2e-" + UUID.randomUUID();
        String body = "{\"description\":\"" + key + "\"}";
        HttpResponse<String> first = fx.http().send("PATCH", "/api/v1/evaluations/eval_acme_draft", fx.token("acme_editor"), body,
                "Idempotency-Key", key);
        HttpResponse<String> replay = fx.http().send("PATCH", "/api/v1/evaluations/eval_acme_draft", fx.token("acme_editor"),
                "{ \"description\" : \"" + key + "\" }", "Idempotency-Key", key);
        HttpResponse<String> reused = fx.http().send("PATCH", "/api/v1/evaluations/eval_acme_draft", fx.token("acme_editor"),
                "{\"description\":\"other\"}", "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("X-Request-Id")).isEqualTo(first.headers().firstValue("X-Request-Id"));
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(ApiClient.json(reused).get("error").get("code").stringValue()).isEqualTo("idempotency_key_reused");
    }

    private <E> List<E> eventsMatching(String topic, Class<E> type, java.util.function.Predicate<E> match) {
        fx.kafka().readUntil(topic, records -> records.stream().map(ConsumerRecord::value).filter(type::isInstance)
                .map(type::cast).anyMatch(match), DEADLINE);
        return fx.kafka().readAll(topic).stream().map(ConsumerRecord::value).filter(type::isInstance).map(type::cast)
                .filter(match).toList();
    }

    private static List<ConsumerRecord<String, Object>> resultsFor(List<ConsumerRecord<String, Object>> records, String commandId) {
        return records.stream().filter(r -> commandId.equals(r.key())).toList();
    }

    private long version(String evaluationId) {
        return fx.jdbi().withHandle(h -> h.createQuery("select version from evaluation where id = :id")
                .bind("id", evaluationId).mapTo(Long.class).one());
    }

    /** Waits until the processor group has committed every record now on {@code topic}: their outcomes are all published. */
    private void awaitProcessorCommitted(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fx.namespace().bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            Poll.until("the processor group committed " + topic, DEADLINE, () -> {
                try {
                    return admin.listConsumerGroupOffsets(fx.namespace().topicPrefix() + "-processor")
                            .partitionsToOffsetAndMetadata().get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, committed -> partitions.stream().allMatch(p -> {
                OffsetAndMetadata c = committed.get(p);
                return ends.get(p).offset() == 0 || (c != null && c.offset() >= ends.get(p).offset());
            }));
        }
    }
}
