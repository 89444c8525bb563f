package io.patchbay.devstack.automations;

import static io.patchbay.devstack.automations.Respan.changeStream;
import static io.patchbay.devstack.automations.Respan.freshAutomation;
import static io.patchbay.devstack.automations.Respan.json;
import static io.patchbay.devstack.automations.Respan.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.automations.AutomationApi;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonValue;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * Commands a producer writes straight to the automations commands topic get the rules of the HTTP route: one
 * that breaks a rule ends REJECTED with the very errors the PATCH answers with (read from the results topic and
 * rendered as the adapter renders outcomes), and nothing it carries can stall its partition.
 */
class AutomationKafkaIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    private final ResourceApi renderer = new AutomationApi(null);

    /** A command to produce, and the HTTP body whose answer it must equal (null: no HTTP equivalent). */
    private record Sent(String label, AutomationUpdateCommand command, String recordKey, String httpBody, String automationId,
                        String keyId) {
    }

    @Test
    void commandsBreakingARuleAreRejectedWithTheErrorsTheHttpRouteGives() {
        AutomationState automation = freshAutomation(b -> { });
        AutomationState withoutRate = freshAutomation(b -> b.setConfiguration(new AutomationConfiguration(null, List.of())));
        String id = automation.getId();
        List<Sent> sent = new ArrayList<>();
        sent.add(new Sent("every request-level rule at once", command(id, "acme_editor", patch -> patch.setName(" ")
                .setConfiguration(rate(1.5)).setEvaluatorIds(List.of())), id,
                "{'name':' ','configuration':{'sampling_rate':1.5},'evaluator_ids':[]}", id, "acme_editor"));
        sent.add(new Sent("name validators", command(id, "acme_editor", patch -> patch.setName("\u0000" + "y".repeat(300))), id,
                "{'name':'\\u0000" + "y".repeat(300) + "'}", id, "acme_editor"));
        // (A lone surrogate cannot travel: Avro writes strings as UTF-8.)
        sent.add(new Sent("evaluator elements", command(id, "acme_editor", patch -> patch.setEvaluatorIds(
                List.of("evl_acme_quality", "", "a\u0000", "  "))), id,
                "{'evaluator_ids':['evl_acme_quality','','a\\u0000','  ']}", id, "acme_editor"));
        sent.add(new Sent("missing and foreign evaluators", command(id, "acme_editor", patch -> patch.setEvaluatorIds(
                List.of("evl_x", " evl_acme_relevance", "evl_globex_toxicity", "evl_x"))), id,
                "{'evaluator_ids':['evl_x',' evl_acme_relevance','evl_globex_toxicity','evl_x']}", id, "acme_editor"));
        sent.add(new Sent("merged configuration without a sampling rate", command(withoutRate.getId(), "acme_editor",
                patch -> patch.setConfiguration(ConfigurationPatch.newBuilder().build())), withoutRate.getId(),
                "{'configuration':{}}", withoutRate.getId(), "acme_editor"));
        sent.add(new Sent("field errors before the lookup", command("auto_nope_" + UUID.randomUUID(), "acme_editor",
                patch -> patch.setName("")), id, "{'name':''}", "auto_nope_x", "acme_editor"));
        sent.add(new Sent("unknown automation", command("auto_nope_" + UUID.randomUUID(), "acme_editor",
                patch -> patch.setIsEnabled(false)), id, "{'is_enabled':false}", "auto_nope_y", "acme_editor"));
        sent.add(new Sent("another team's automation", command("auto_globex_quality", "acme_editor",
                patch -> patch.setIsEnabled(false)), "auto_globex_quality", "{'is_enabled':false}", "auto_globex_quality", "acme_editor"));
        sent.add(new Sent("a viewer", command(id, "acme_viewer", patch -> patch.setIsEnabled(false)), id,
                "{'is_enabled':false}", id, "acme_viewer"));
        sent.add(new Sent("a key without automations:write", command(id, "acme_readonly", patch -> patch.setIsEnabled(false)), id,
                "{'is_enabled':false}", id, "acme_readonly"));

        Map<String, CommandResult> results = produceAndAwait(sent);

        for (Sent s : sent) {
            CommandResult result = results.get(s.command().getMetadata().getCommandId());
            assertThat(result.getStatus()).as(s.label()).isEqualTo(CommandStatus.REJECTED);
            ResourceApi.Rendered rendered = renderer.renderOutcome(result);
            // Sent as written: escapes such as \\ud800 must reach the server unchanged.
            HttpResponse<String> http = Respan.patch(s.automationId(), s.keyId(), s.httpBody().replace('\'', '"'));
            assertThat(rendered.status()).as(s.label()).isEqualTo(http.statusCode());
            assertThat(new String(rendered.body(), StandardCharsets.UTF_8)).as(s.label()).isEqualTo(http.body());
        }
        assertThat(results.get(sent.get(3).command().getMetadata().getCommandId()).getErrors())
                .extracting(e -> e.getField() + ": " + e.getMessage())
                .containsExactly("evaluator_ids: Evaluators not found: evl_x, evl_globex_toxicity");
        assertThat(stored(id)).isEqualTo(automation);
        assertThat(stored(withoutRate.getId())).isEqualTo(withoutRate);
        assertThat(changeStream(id)).isEmpty();
    }

    @Test
    void whatOnlyAProducerCanSendIsRefusedWithoutStallingThePartition() {
        AutomationState automation = freshAutomation(b -> { });
        String id = automation.getId();
        List<Sent> sent = new ArrayList<>();
        sent.add(new Sent("NaN sampling rate", command(id, "acme_editor", patch -> patch.setConfiguration(rate(Double.NaN))), id,
                null, null, null));
        sent.add(new Sent("sampling_rate among the free-form keys", command(id, "acme_editor", patch -> patch.setConfiguration(
                ConfigurationPatch.newBuilder().setOtherKeys(List.of(new JsonMember("sampling_rate",
                        new JsonValue(new JsonNumber("0.5"))))).build())), id, null, null, null));
        // Ids PostgreSQL cannot store (NUL): dead letters with their reason, not a batch retried forever. They go under
        // a key of their own: a dead-lettered record parks its key, so a later command with the same key would wait
        // for the replay (ARCHITECTURE.md, "Poison") instead of applying.
        String poisonKey = id + "-unstorable";
        List<Sent> unstorable = List.of(
                new Sent("a NUL in the resource id", command("auto\u0000" + id, "acme_editor", patch -> patch.setIsEnabled(false)),
                        poisonKey, null, null, null),
                new Sent("a NUL in the team id", withTeam(command(id, "acme_editor", patch -> patch.setIsEnabled(false)),
                        "team\u0000acme"), poisonKey, null, null, null),
                new Sent("a NUL in the actor's key id", command(id, "acme\u0000editor", patch -> patch.setIsEnabled(false)),
                        poisonKey, null, null, null));
        sent.addAll(unstorable);
        sent.add(new Sent("then a valid command on the same partition, the mirror key ignored", command(id, "acme_editor",
                patch -> patch.setName("after the poison").setConfiguration(ConfigurationPatch.newBuilder().setOtherKeys(List.of(
                        new JsonMember("evaluator_ids", new JsonValue("not a list")), new JsonMember("model", new JsonValue("m"))))
                        .build())), id, null, null, null));

        Map<String, CommandResult> results = produceAndAwait(sent, sent.stream().filter(s -> !unstorable.contains(s)).toList());

        List<String> answers = sent.stream().filter(s -> !unstorable.contains(s))
                .map(s -> results.get(s.command().getMetadata().getCommandId()))
                .map(r -> r.getStatus() + " " + new String(renderer.renderOutcome(r).body(), StandardCharsets.UTF_8)).toList();
        assertThat(answers.subList(0, 2)).containsExactly(
                "REJECTED " + json("{'configuration':{'sampling_rate':['Sampling rate must be between 0.0 and 1.0']}}"),
                "REJECTED " + json("{'configuration':{'sampling_rate':['A valid number is required.']}}"));
        assertThat(answers.get(2)).startsWith("APPLIED ");
        List<String> poisoned = unstorable.stream().map(s -> s.command().getMetadata().getCommandId()).toList();
        List<ConsumerRecord<String, Object>> letters = fx.kafka().readUntil(Topics.deadLetter(fx.topics().commands(ResourceType.AUTOMATION)),
                records -> records.stream().filter(r -> isOneOf(r, poisoned)).count() == poisoned.size(), Respan.DEADLINE);
        assertThat(letters.stream().filter(r -> isOneOf(r, poisoned)).map(r -> new String(r.headers()
                .lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8)))
                .allSatisfy(reason -> assertThat(reason).contains("contains a NUL character"));
        assertThat(fx.kafka().readAll(fx.topics().commandResults())).noneMatch(r -> poisoned.contains(r.key()));
        AutomationState after = stored(id);
        assertThat(after.getName()).isEqualTo("after the poison");
        assertThat(after.getVersion()).isEqualTo(2L);
        assertThat(after.getConfiguration().getOtherKeys()).extracting(JsonMember::getName).containsExactly("model");
        assertThat(Respan.tree(Respan.get(id, "acme_viewer")).get("configuration").toString())
                .isEqualTo("{\"evaluator_ids\":[\"evl_acme_relevance\",\"evl_acme_toxicity\"],\"sampling_rate\":0.1,\"model\":\"m\"}");
        Respan.awaitChangeStream(id, "log v2", "event v2");
    }

    private static boolean isOneOf(ConsumerRecord<String, Object> record, List<String> commandIds) {
        return record.value() instanceof AutomationUpdateCommand c && commandIds.contains(c.getMetadata().getCommandId());
    }

    private Map<String, CommandResult> produceAndAwait(List<Sent> sent) {
        return produceAndAwait(sent, sent);
    }

    /** Produces {@code sent} in order and waits for the results of {@code answered}. */
    private Map<String, CommandResult> produceAndAwait(List<Sent> sent, List<Sent> answered) {
        try (KafkaProducer<String, Object> producer = fx.kafka().producer()) {
            for (Sent s : sent) {
                producer.send(new ProducerRecord<>(fx.topics().commands(ResourceType.AUTOMATION), s.recordKey(), s.command())).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String> ids = answered.stream().map(s -> s.command().getMetadata().getCommandId()).toList();
        Map<String, CommandResult> results = new LinkedHashMap<>();
        fx.kafka().readUntil(fx.topics().commandResults(), records -> {
            for (ConsumerRecord<String, Object> record : records) {
                if (ids.contains(record.key())) {
                    results.put(record.key(), (CommandResult) record.value());
                }
            }
            return results.keySet().containsAll(ids);
        }, Respan.DEADLINE);
        return results;
    }

    private static AutomationUpdateCommand command(String resourceId, String actor,
                                                   java.util.function.Consumer<AutomationPatch.Builder> patch) {
        AutomationPatch.Builder builder = AutomationPatch.newBuilder();
        patch.accept(builder);
        return TestCommands.automation(resourceId, DemoData.ACME, actor, builder.build());
    }

    private static AutomationUpdateCommand withTeam(AutomationUpdateCommand command, String teamId) {
        command.getMetadata().setTeamId(teamId);
        return command;
    }

    private static ConfigurationPatch rate(double rate) {
        return ConfigurationPatch.newBuilder().setSamplingRate(rate).build();
    }
}
