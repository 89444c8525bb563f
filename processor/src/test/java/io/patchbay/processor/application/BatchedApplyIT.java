package io.patchbay.processor.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.processor.config.CommandBatchProcessors;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.data.TestStates;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.CommandRecords;

/**
 * A batch is applied exactly as its commands would be one by one: the set-based reads, the in-memory state
 * shared by the commands of a resource and the single write of each changed row at the end of the batch must
 * not change any outcome, version, change-log row or final row. Several commands per resource, automations
 * named by id and by slug, unknown ids, another team's resources, refused keys and unknown evaluators, all in
 * one batch, against the same commands applied in batches of one.
 */
class BatchedApplyIT {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @RegisterExtension
    final TestNamespace batched = TestNamespace.named("batch_whole");
    @RegisterExtension
    final TestNamespace oneByOne = TestNamespace.named("batch_single");

    private Topics topics;
    private Map<ResourceType, CommandRecords> records;

    @BeforeEach
    void setUp() {
        topics = batched.topics();
        records = new EnumMap<>(ResourceType.class);
        for (ResourceType type : ResourceType.values()) {
            records.put(type, new CommandRecords(topics.commands(type), 0, batched.serializer()));
        }
    }

    @Test
    void aWholeBatchDecidesAndWritesExactlyAsItsCommandsOneByOne() {
        Jdbi whole = seeded(batched.jdbi());
        Jdbi single = seeded(oneByOne.jdbi());
        List<ConsumerRecord<String, byte[]>> records = commands();

        List<?> published = processor(whole).process(records);
        int singlePublished = 0;
        CommandBatchProcessor one = processor(single);
        for (ConsumerRecord<String, byte[]> record : records) {
            singlePublished += one.process(List.of(record)).size();
        }

        assertThat(published).hasSize(singlePublished);
        assertThat(commandLog(whole)).isEqualTo(commandLog(single)).hasSize(records.size())
                .contains("e1 APPLIED 2", "e2 APPLIED 3", "e3 APPLIED 4", "e4 REJECTED null", "e5 UNCHANGED 4",
                        "e6 REJECTED null", "e7 REJECTED null", "a1 APPLIED 2", "a2 APPLIED 3", "a3 REJECTED null",
                        "a4 APPLIED 4", "a5 REJECTED null", "a6 REJECTED null", "a7 REJECTED null");
        assertThat(changeLog(whole)).isEqualTo(changeLog(single)).hasSize(6);
        assertThat(rows(whole)).isEqualTo(rows(single));
        assertThat(rows(whole)).contains("evaluation eval_a Running 4 renamed twice",
                "automation auto_a 4 [evl_a_2, evl_a_1] 0.5 true Monitor B");
    }

    private CommandBatchProcessor processor(Jdbi jdbi) {
        return CommandBatchProcessors.on(jdbi, topics).registry(batched.registryUrl()).build();
    }

    private List<ConsumerRecord<String, byte[]>> commands() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        EvaluationPatch rename = EvaluationPatch.newBuilder().setName("renamed once").build();
        records.add(evaluation("e1", "eval_a", "team_a", "a_editor", rename));
        records.add(evaluation("e2", "eval_a", "team_a", "a_editor", EvaluationPatch.newBuilder().setStatus(EvaluationStatus.Running).build()));
        records.add(evaluation("e3", "eval_a", "team_a", "a_editor", EvaluationPatch.newBuilder().setName("renamed twice").build()));
        records.add(evaluation("e4", "eval_a", "team_a", "a_editor", EvaluationPatch.newBuilder().setStatus(EvaluationStatus.Draft).build()));
        records.add(evaluation("e5", "eval_a", "team_a", "a_editor", EvaluationPatch.newBuilder().setName("renamed twice").build()));
        records.add(evaluation("e6", "eval_missing", "team_a", "a_editor", rename));
        records.add(evaluation("e7", "eval_b", "team_a", "a_editor", rename));
        records.add(automation("a1", "auto_a", "auto_a", "team_a", "a_editor", AutomationPatch.newBuilder().setName("Monitor A").build()));
        records.add(automation("a2", "auto_a", "monitor", "team_a", "a_editor", AutomationPatch.newBuilder().setIsEnabled(true).build()));
        records.add(automation("a3", "auto_a", "auto_a", "team_a", "a_viewer", AutomationPatch.newBuilder().setName("x").build()));
        records.add(automation("a4", "auto_a", "auto_a", "team_a", "a_editor", AutomationPatch.newBuilder().setName("Monitor B")
                .setEvaluatorIds(List.of("evl_a_2", "evl_a_1", "evl_a_2"))
                .setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(0.5).build()).build()));
        records.add(automation("a5", "auto_a", "auto_a", "team_a", "a_editor", AutomationPatch.newBuilder()
                .setEvaluatorIds(List.of("evl_b_1")).build()));
        records.add(automation("a6", "auto_b", "monitor", "team_a", "b_editor", AutomationPatch.newBuilder().setName("x").build()));
        records.add(automation("a7", "auto_missing", "auto_missing", "team_a", "a_editor", AutomationPatch.newBuilder().setName("x").build()));
        return records;
    }

    private ConsumerRecord<String, byte[]> evaluation(String commandId, String id, String team, String key, EvaluationPatch patch) {
        return records.get(ResourceType.EVALUATION).command(id, new EvaluationUpdateCommand(
                metadata(commandId, ResourceType.EVALUATION, id, team, key), patch));
    }

    private ConsumerRecord<String, byte[]> automation(String commandId, String key, String named, String team, String apiKey,
                                                      AutomationPatch patch) {
        return records.get(ResourceType.AUTOMATION).command(key, new AutomationUpdateCommand(
                metadata(commandId, ResourceType.AUTOMATION, named, team, apiKey), patch));
    }

    private static CommandMetadata metadata(String commandId, ResourceType type, String resourceId, String team, String key) {
        return TestCommands.metadata(type, resourceId, team, key).setCommandId(commandId).setReceivedAt(CREATED).build();
    }

    private static Jdbi seeded(Jdbi jdbi) {
        jdbi.useTransaction(h -> {
            TeamRepository teams = new TeamRepository();
            ApiKeyRepository keys = new ApiKeyRepository();
            EvaluatorRepository evaluators = new EvaluatorRepository();
            AutomationRepository automations = new AutomationRepository();
            EvaluationRepository evaluations = new EvaluationRepository();
            for (String t : List.of("a", "b")) {
                String team = "team_" + t;
                teams.insert(h, team, team);
                keys.insert(h, new ApiKeyRecord(t + "_editor", team, "pbkdf2-sha256$1$x$y", "editor", List.of("*"), null, null), "");
                keys.insert(h, new ApiKeyRecord(t + "_viewer", team, "pbkdf2-sha256$1$x$y", "viewer", List.of("*"), null, null), "");
                evaluators.insert(h, team, new EvaluatorRef("evl_" + t + "_1", "One", "one", ""));
                evaluators.insert(h, team, new EvaluatorRef("evl_" + t + "_2", "Two", "two", "custom"));
                evaluators.insertCondition(h, team, new ConditionRef("cond_" + t, "ok", "OK", "single_log"));
                evaluations.insert(h, new StoredEvaluation(TestStates.evaluation("eval_" + t, team)
                        .setName("Evaluation " + t).setCreatedAt(CREATED).setUpdatedAt(CREATED).build(), null));
                automations.insert(h, TestStates.automation("auto_" + t, team, "monitor").setName("Monitor " + t)
                        .setEvaluatorIds(List.of("evl_" + t + "_1")).setIsEnabled(false)
                        .setConfiguration(new AutomationConfiguration(0.1, List.of()))
                        .setCreatedAt(CREATED).setUpdatedAt(CREATED).build(), "cond_" + t);
            }
        });
        return jdbi;
    }

    private static List<String> commandLog(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select command_id || ' ' || status || ' ' || coalesce(version::text, 'null')"
                + " from command_log order by command_id").mapTo(String.class).list());
    }

    private static List<String> changeLog(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select resource_type || ' ' || resource_id || ' ' || version || ' '"
                + " || command_id || ' ' || team_id from change_log order by 1").mapTo(String.class).list());
    }

    private static List<String> rows(Jdbi jdbi) {
        return jdbi.withHandle(h -> {
            List<String> rows = new ArrayList<>(h.createQuery("select 'evaluation ' || id || ' ' || status || ' ' || version"
                    + " || ' ' || name from evaluation order by id").mapTo(String.class).list());
            rows.addAll(h.createQuery("select 'automation ' || id || ' ' || version || ' ' || evaluator_ids::text || ' '"
                    + " || sampling_rate || ' ' || is_enabled || ' ' || name from automation order by id")
                    .mapTo(String.class).list().stream().map(r -> r.replace("{", "[").replace("}", "]").replace(",", ", ")).toList());
            return rows;
        });
    }
}
