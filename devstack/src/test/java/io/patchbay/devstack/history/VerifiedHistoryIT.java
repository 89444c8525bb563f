package io.patchbay.devstack.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.admin.AdminCli;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.chain.EventChain;
import io.patchbay.devstack.infra.PostgresServer;

/**
 * The hash chain the processor writes (across batches and within one), checked by {@code patchbay-admin verify} on the
 * real database and topic: intact as written, and a changed byte, a dropped version or a gap on a topic found at the
 * version where it is.
 */
class VerifiedHistoryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void verifyFindsAnAlteredEventAndADroppedVersionAtTheirVersionsInTheDatabaseAndOnATopic() throws Exception {
        String token = fx.token("acme_editor");
        String a = fx.data().newEvaluation(DemoData.ACME);
        String b = fx.data().newEvaluation(DemoData.ACME);
        String c = fx.data().newEvaluation(DemoData.ACME);
        for (int i = 1; i <= 4; i++) {
            rename(a, token, "a" + i);
            rename(b, token, "b" + i);
        }
        oneBatchOfThree(c);

        List<EvaluationChanged> onTopic = fx.kafka().evaluationChanges(a);
        assertThat(onTopic).hasSize(4);
        assertThat(EventChain.isGenesis(bytes(onTopic.get(0).getPreviousEventHash()))).isTrue();
        assertThat(bytes(onTopic.get(1).getPreviousEventHash())).isEqualTo(bytes(onTopic.get(0).getEventHash()));
        String changes = fx.topics().changes(ResourceType.EVALUATION);
        assertThat(breaksOf(verify("database"), a, b, c)).isEmpty();
        assertThat(breaksOf(verify("topic", changes, "--bootstrap-servers=" + fx.namespace().bootstrapServers()), a, b, c)).isEmpty();

        String copy = copyToNewTopic(changes, a, b);
        AdminRun topicRun = verify("topic", copy, "--bootstrap-servers=" + fx.namespace().bootstrapServers());
        assertThat(topicRun.status()).isEqualTo(AdminCli.FAILED);
        assertThat(breaksOf(topicRun, a, b, c)).containsExactlyInAnyOrder(
                "BREAK " + copy + "/" + a + " version 3: missing version (version 4 follows version 2)",
                "BREAK " + copy + "/" + b + " version 4: altered (its content does not hash to its eventHash)");

        fx.jdbi().useHandle(h -> {
            h.execute("update change_log set payload = overlay(payload placing '\\x58'::bytea from 60 for 1)"
                    + " where resource_type = 'EVALUATION' and resource_id = ? and version = 4", a);
            h.execute("delete from change_log where resource_type = 'EVALUATION' and resource_id = ? and version = 3", b);
        });
        AdminRun databaseRun = verify("database");
        System.out.println("verify database after altering " + a + " v4 and dropping " + b + " v3:\n" + databaseRun.out());
        assertThat(databaseRun.status()).isEqualTo(AdminCli.FAILED);
        assertThat(breaksOf(databaseRun, a, b, c)).containsExactlyInAnyOrder(
                "BREAK EVALUATION/" + a + " version 4: altered (its content does not hash to its eventHash)",
                "BREAK EVALUATION/" + b + " version 3: missing version (version 4 follows version 2)");
    }

    /** Three commands for {@code id} sent while the processor is paused, so that one batch applies them. */
    private void oneBatchOfThree(String id) {
        String topic = fx.topics().commands(ResourceType.EVALUATION);
        fx.pauseProcessor();
        try {
            for (int i = 1; i <= 3; i++) {
                fx.kafka().produce(topic, id, TestCommands.evaluation(id, DemoData.ACME, "acme_editor",
                        EvaluationPatch.newBuilder().setDescription("batched " + i).build()));
            }
        } finally {
            fx.resumeProcessor();
        }
        Poll.until("three change events of " + id, DEADLINE, () -> fx.kafka().evaluationChanges(id).size(), n -> n == 3);
    }

    /** {@code a}'s events without version 3, and {@code b}'s with one byte of version 4 changed, on a new topic. */
    private String copyToNewTopic(String changes, String a, String b) throws Exception {
        String copy = fx.namespace().topicPrefix() + ".audit-copy-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fx.namespace().bootstrapServers()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     fx.namespace().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(copy, 1, (short) 1))).all().get();
            for (ConsumerRecord<String, byte[]> record : fx.kafka().tail(changes).upToNow()) {
                long version = ((EvaluationChanged) fx.kafka().decode(record)).getVersion();
                byte[] value = record.value().clone();
                if (record.key().equals(a) && version == 3 || !record.key().equals(a) && !record.key().equals(b)) {
                    continue;
                }
                if (record.key().equals(b) && version == 4) {
                    value[60] ^= 1;
                }
                producer.send(new ProducerRecord<>(copy, record.key(), value)).get();
            }
        }
        return copy;
    }

    private void rename(String id, String token, String name) {
        HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/" + id, token, "{\"name\":\"" + name + "\"}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    }

    private AdminRun verify(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "verify";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--jdbc-url=" + fx.namespace().jdbcUrl();
        all[args.length + 2] = "--db-user=" + PostgresServer.USER;
        int status = AdminCli.run(all, new PrintWriter(out), new PrintWriter(err));
        assertThat(err.toString()).isEmpty();
        return new AdminRun(status, out.toString());
    }

    private static List<String> breaksOf(AdminRun run, String... ids) {
        return run.out().lines().filter(line -> line.startsWith("BREAK ")
                && List.of(ids).stream().anyMatch(id -> line.contains("/" + id + " "))).toList();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] array = new byte[buffer.remaining()];
        buffer.duplicate().get(array);
        return array;
    }

    private record AdminRun(int status, String out) {
    }
}
