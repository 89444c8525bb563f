package io.patchbay.devstack.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.adapter.history.ChangeHistoryReader;
import io.patchbay.admin.AdminCli;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.registry.SchemaFingerprints;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.SchemaIds;
import io.patchbay.store.schema.WriterSchemaBackfill;
import io.patchbay.testing.http.ApiClient;

/**
 * History and replay when the schema registry is not the one the change events were first published with: a fresh
 * registry that lost every id, and one that gave the events' id to another schema. History decodes with the writer
 * schema kept beside the log; replay registers it again and re-frames the events with the id the registry gives now,
 * payload bytes unchanged, and the hash chain still verifies. Rows written before writer schemas were kept are
 * backfilled from a registry that still knows their ids, and refused by replay when none does.
 */
class RegistryLossIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    /** The fresh registries' logs, deleted after each test. */
    @TempDir
    Path logs;

    @Test
    void historyAndReplaySurviveARegistryThatLostTheIds() throws Exception {
        String id = changedEvaluation(2);
        List<byte[]> stored = storedPayloads(id);
        long named = fx.jdbi().withHandle(h -> h.createQuery("select count(*) from change_log c join writer_schema w"
                        + " on w.fingerprint = c.writer_fingerprint where resource_id = :id").bind("id", id).mapTo(Long.class).one());
        assertThat(named).as("every event names its stored writer schema").isEqualTo(2L);

        try (SchemaRegistryProcess fresh = freshRegistry()) {
            assertThat(historyThrough(fresh.url(), id)).isEqualTo(historyRoute(id));

            String topic = fx.namespace().topicPrefix() + ".lost-" + UUID.randomUUID();
            String out = admin("replay", "--resource=" + id, "--topic=" + topic, "--schema-registry-url=" + fresh.url());
            List<ConsumerRecord<String, byte[]>> replayed = fx.kafka().readRaw(topic, 2);

            int newId = SchemaRegistryClients.forUrl(fresh.url()).lookup(fx.topics().changes(ResourceType.EVALUATION) + "-value",
                    EvaluationChanged.getClassSchema());
            assertReplayed(replayed, stored, fresh.url(), newId);
            assertThat(out).contains("with the schema id the registry gives their writer schema now");
            assertThat(admin("verify", "topic", topic, "--bootstrap-servers=" + fx.namespace().bootstrapServers()))
                    .as("the chain excludes the header").doesNotContain("break");
        }
    }

    @Test
    void historyAndReplayDoNotTrustAnIdTheRegistryGaveToAnotherSchema() throws Exception {
        String id = changedEvaluation(1);
        List<byte[]> stored = storedPayloads(id);
        int originalId = SchemaIds.of(stored.get(0));

        try (SchemaRegistryProcess other = freshRegistry()) {
            SchemaRegistryClient registry = SchemaRegistryClients.forUrl(other.url());
            int taken = 0;
            for (int i = 0; taken < originalId; i++) {
                taken = registry.register("unrelated-" + i + "-value", SchemaBuilder.record("Unrelated" + i).namespace("example")
                        .fields().requiredString("name").endRecord());
            }
            assertThat(taken).as("the fresh registry gave the events' id to another schema").isEqualTo(originalId);
            assertThat(registry.getById(originalId).getFullName()).isEqualTo("example.Unrelated" + (originalId - 1));

            assertThat(historyThrough(other.url(), id)).isEqualTo(historyRoute(id));

            String topic = fx.namespace().topicPrefix() + ".reassigned-" + UUID.randomUUID();
            admin("replay", "--resource=" + id, "--topic=" + topic, "--schema-registry-url=" + other.url());
            List<ConsumerRecord<String, byte[]>> replayed = fx.kafka().readRaw(topic, 1);

            int newId = registry.lookup(fx.topics().changes(ResourceType.EVALUATION) + "-value", EvaluationChanged.getClassSchema());
            assertThat(newId).isNotEqualTo(originalId);
            assertReplayed(replayed, stored, other.url(), newId);
        }
        assertThat(storedPayloads(id)).as("the change log is left as it was").containsExactlyElementsOf(stored);
    }

    @Test
    void rowsStoredBeforeWriterSchemasAreBackfilledFromARegistryThatKnowsTheirIdsAndReplayRefusesThemOtherwise() throws Exception {
        String id = changedEvaluation(1);
        byte[] fingerprint = SchemaFingerprints.of(EvaluationChanged.getClassSchema());
        fx.jdbi().useHandle(h -> h.createUpdate("update change_log set writer_fingerprint = null where resource_id = :id")
                .bind("id", id).execute());

        try (SchemaRegistryProcess fresh = freshRegistry()) {
            WriterSchemaBackfill.Report lost = new WriterSchemaBackfill(fx.jdbi(), SchemaRegistryClients.forUrl(fresh.url()),
                    fx.topics()).run();
            assertThat(lost.unresolved()).singleElement().asString().contains("the registry does not know the id");
            assertThat(fingerprints(id)).containsOnlyNulls();
            assertThat(historyRoute(id)).as("without a stored schema, history still reads through the original registry")
                    .contains("\"version\":2");

            int status = AdminCli.run(args("replay", "--resource=" + id, "--topic=" + fx.namespace().topicPrefix() + ".refused",
                    "--schema-registry-url=" + fresh.url()), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            assertThat(status).as("replay refuses events whose writer schema nobody can supply").isNotZero();
        }

        WriterSchemaBackfill.Report report = new WriterSchemaBackfill(fx.jdbi(),
                SchemaRegistryClients.forUrl(fx.namespace().registryUrl()), fx.topics()).run();
        assertThat(report.complete()).as(report.unresolved().toString()).isTrue();
        assertThat(report.filled()).isEqualTo(1);
        assertThat(fingerprints(id)).allSatisfy(f -> assertThat(f).isEqualTo(fingerprint));
    }

    private void assertReplayed(List<ConsumerRecord<String, byte[]>> replayed, List<byte[]> stored, String registryUrl,
                                int newId) {
        ConfluentAvroDeserializer<Object> consumer = ConfluentAvroDeserializer.specificForRegistry(registryUrl);
        ConfluentAvroDeserializer<Object> original = ConfluentAvroDeserializer.specificForRegistry(fx.namespace().registryUrl());
        assertThat(replayed).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            byte[] value = replayed.get(i).value();
            assertThat(SchemaIds.of(value)).isEqualTo(newId);
            assertThat(Arrays.copyOfRange(value, 5, value.length)).as("payload after the header")
                    .isEqualTo(Arrays.copyOfRange(stored.get(i), 5, stored.get(i).length));
            assertThat(consumer.deserialize(replayed.get(i).topic(), value)).as("decoded with the registry of now")
                    .isEqualTo(original.deserialize(replayed.get(i).topic(), stored.get(i)));
        }
    }

    private SchemaRegistryProcess freshRegistry() {
        return SchemaRegistryProcess.start(0, null, logs.resolve("registry-" + UUID.randomUUID() + ".log"));
    }

    /** A resource's history as the route shows it (through the stack's registry), as JSON text. */
    private String historyRoute(String id) {
        HttpResponse<String> page = fx.http().send("GET", "/api/v1/evaluations/" + id + "/changes", fx.token("acme_editor"), null);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return ApiClient.json(page).get("data").toString();
    }

    /** The same page, read with {@code registryUrl} as the registry. */
    private String historyThrough(String registryUrl, String id) {
        ChangeHistoryReader reader = new ChangeHistoryReader(fx.jdbi(), fx.topics(),
                ConfluentAvroDeserializer.specificForRegistry(registryUrl));
        return JsonValues.MAPPER.valueToTree(reader.versions(DemoData.ACME, ResourceType.EVALUATION, id,
                OptionalLong.empty(), 10).items()).toString();
    }

    private List<byte[]> storedPayloads(String id) {
        return fx.jdbi().withHandle(h -> h.createQuery("select payload from change_log where resource_id = :id order by version")
                .bind("id", id).mapTo(byte[].class).list());
    }

    private List<byte[]> fingerprints(String id) {
        return fx.jdbi().withHandle(h -> h.createQuery("select writer_fingerprint from change_log where resource_id = :id")
                .bind("id", id).mapTo(byte[].class).list());
    }

    private String changedEvaluation(int changes) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        for (int i = 1; i <= changes; i++) {
            HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/" + id, fx.token("acme_editor"),
                    "{\"name\":\"registry loss " + i + "\"}");
            assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        }
        Poll.until(changes + " change events of " + id, DEADLINE, () -> fx.kafka().evaluationChanges(id).size(),
                n -> n == changes);
        return id;
    }

    private static String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("replay")) {
            all.add("--bootstrap-servers=" + fx.namespace().bootstrapServers());
            all.add("--topic-prefix=" + fx.namespace().topicPrefix());
        }
        all.add("--jdbc-url=" + fx.namespace().jdbcUrl());
        all.add("--db-user=" + PostgresServer.USER);
        return all.toArray(String[]::new);
    }

    private static String admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AdminCli.run(args(args), new PrintWriter(out), new PrintWriter(err));
        assertThat(status).as(out + "\n" + err).isZero();
        return out.toString();
    }
}
