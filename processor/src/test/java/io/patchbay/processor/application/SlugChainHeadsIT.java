package io.patchbay.processor.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.processor.config.CommandBatchProcessors;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.chain.EventChain;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.team.TeamRepository;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.data.TestStates;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.kafka.CommandRecords;

/**
 * Automations a batch names by slug chain their change events to their stored heads like those named by id, and the
 * batch reads those heads in one query, not one per command.
 */
class SlugChainHeadsIT {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final int AUTOMATIONS = 3;

    @RegisterExtension
    final TestNamespace namespace = TestNamespace.named("slug_heads");

    @Test
    void aBatchReadsTheChainHeadsOfAutomationsNamedBySlugInOneQuery() {
        Jdbi jdbi = seeded(namespace.jdbi());
        CommandRecords records = new CommandRecords(namespace.topics().commands(ResourceType.AUTOMATION), 0,
                namespace.serializer());
        CommandBatchProcessor processor = CommandBatchProcessors.on(jdbi, namespace.topics())
                .registry(namespace.registryUrl()).build();
        List<ConsumerRecord<String, byte[]>> byId = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> bySlug = new ArrayList<>();
        for (int i = 0; i < AUTOMATIONS; i++) {
            byId.add(rename(records, "id" + i, "auto_" + i, "auto_" + i, "first " + i));
            bySlug.add(rename(records, "slug" + i, "auto_" + i, "monitor_" + i, "second " + i));
        }
        processor.process(byId);

        AtomicInteger headReads = new AtomicInteger();
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                if (context.getRenderedSql().contains("from change_log where resource_type = r.type")) {
                    headReads.incrementAndGet();
                }
            }
        });
        processor.process(bySlug);

        assertThat(headReads).as("chain-head queries of the batch: the read-ahead round and one for the slugs")
                .hasValue(2);
        for (int i = 0; i < AUTOMATIONS; i++) {
            byte[] first = payload(jdbi, "auto_" + i, 2);
            byte[] second = payload(jdbi, "auto_" + i, 3);
            assertThat(EventChain.read(second).orElseThrow().previousEventHash())
                    .isEqualTo(EventChain.read(first).orElseThrow().eventHash());
            assertThat(EventChain.read(second).orElseThrow().intact()).isTrue();
        }
    }

    private static ConsumerRecord<String, byte[]> rename(CommandRecords records, String commandId, String key,
                                                         String named, String name) {
        return records.command(key, new AutomationUpdateCommand(TestCommands.metadata(ResourceType.AUTOMATION, named,
                "team_a", "a_editor").setCommandId(commandId).setReceivedAt(CREATED).build(),
                AutomationPatch.newBuilder().setName(name).build()));
    }

    private static byte[] payload(Jdbi jdbi, String id, long version) {
        return jdbi.withHandle(h -> h.createQuery("select payload from change_log where resource_type = 'AUTOMATION'"
                        + " and resource_id = :id and version = :version")
                .bind("id", id).bind("version", version).mapTo(byte[].class).one());
    }

    private static Jdbi seeded(Jdbi jdbi) {
        jdbi.useTransaction(h -> {
            new TeamRepository().insert(h, "team_a", "team_a");
            new ApiKeyRepository().insert(h, new ApiKeyRecord("a_editor", "team_a", "pbkdf2-sha256$1$x$y", "editor",
                    List.of("*"), null, null), "");
            new EvaluatorRepository().insertCondition(h, "team_a", new ConditionRef("cond_a", "ok", "OK", "single_log"));
            AutomationRepository automations = new AutomationRepository();
            for (int i = 0; i < AUTOMATIONS; i++) {
                automations.insert(h, TestStates.automation("auto_" + i, "team_a", "monitor_" + i).setName("Monitor " + i)
                        .setEvaluatorIds(List.of()).setIsEnabled(false)
                        .setConfiguration(new AutomationConfiguration(0.1, List.of()))
                        .setCreatedAt(CREATED).setUpdatedAt(CREATED).build(), "cond_a");
            }
        });
        return jdbi;
    }
}
