package io.patchbay.devstack.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.admin.AdminCli;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.ResourceType;

/**
 * {@code patchbay-admin replay} against the real database and broker: events re-published byte for byte, marked by a
 * header, filtered by resource and version; the newest event per resource on a compacted state topic.
 */
class ReplayIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void replayReproducesTheFirstPublicationsBytesWithAReplayHeader() {
        String id = changedEvaluation(3);
        List<ConsumerRecord<String, byte[]>> first = fx.kafka().tail(fx.topics().changes(ResourceType.EVALUATION)).upToNow().stream()
                .filter(r -> id.equals(r.key())).toList();
        String topic = fx.namespace().topicPrefix() + ".replay-" + UUID.randomUUID();

        String out = admin("replay", "--resource=" + id, "--topic=" + topic);
        List<ConsumerRecord<String, byte[]>> replayed = fx.kafka().readRaw(topic, 3);

        assertThat(out).startsWith("replayed 3 events to " + topic);
        assertThat(replayed).extracting(ConsumerRecord::key).containsOnly(id);
        assertThat(replayed.stream().map(r -> Arrays.toString(r.value())).toList())
                .isEqualTo(first.stream().map(r -> Arrays.toString(r.value())).toList());
        assertThat(replayed).allSatisfy(r -> assertThat(header(r)).startsWith("replay-"));
        assertThat(first).allSatisfy(r -> assertThat(r.headers().lastHeader("patchbay-replay")).isNull());

        String onlyVersion3 = fx.namespace().topicPrefix() + ".replay-" + UUID.randomUUID();
        admin("replay", "--type=EVALUATION", "--resource=" + id, "--from-version=3", "--to-version=3", "--topic=" + onlyVersion3);
        List<ConsumerRecord<String, byte[]>> one = fx.kafka().readRaw(onlyVersion3, 1);
        assertThat(((EvaluationChanged) fx.kafka().decode(one.get(0))).getVersion()).isEqualTo(3);
    }

    @Test
    void stateTopicIsCompactedAndHoldsEachResourcesNewestEvent() throws Exception {
        String id = changedEvaluation(2);
        String stateTopic = fx.namespace().topicPrefix() + ".states-" + UUID.randomUUID();

        String out = admin("replay", "--resource=" + id, "--state-topic=" + stateTopic);
        List<ConsumerRecord<String, byte[]>> states = fx.kafka().readRaw(stateTopic, 1);

        assertThat(out).startsWith("published 1 resource states to " + stateTopic);
        EvaluationChanged newest = (EvaluationChanged) fx.kafka().decode(states.get(0));
        assertThat(states.get(0).key()).isEqualTo(id);
        assertThat(newest.getVersion()).isEqualTo(3);
        assertThat(newest.getAfter().getName()).isEqualTo("replayed 2");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fx.namespace().bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, stateTopic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private String changedEvaluation(int changes) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        for (int i = 1; i <= changes; i++) {
            HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/" + id, fx.token("acme_editor"),
                    "{\"name\":\"replayed " + i + "\"}");
            assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        }
        Poll.until(changes + " change events of " + id, DEADLINE, () -> fx.kafka().evaluationChanges(id).size(),
                n -> n == changes);
        return id;
    }

    private String admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers=" + fx.namespace().bootstrapServers());
        all.add("--schema-registry-url=" + fx.namespace().registryUrl());
        all.add("--jdbc-url=" + fx.namespace().jdbcUrl());
        all.add("--db-user=" + PostgresServer.USER);
        int status = AdminCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(status).as(err.toString()).isZero();
        return out.toString();
    }

    /** Every record of {@code topic} (one partition or more), once it holds {@code count}. */
    private static String header(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("patchbay-replay");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
