package io.patchbay.devstack.evaluations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.logging.LogCapture;

/**
 * api-contract §3.5 and §8.3: a share password in plain text exists only in the request. After setting,
 * replacing, clearing, replaying and being refused in every way, the plaintext is in no response, no record of
 * any topic (commands, dead letters, changes, results), no database row (command log, change log, idempotency
 * records) and no log line, with the application loggers turned up to DEBUG/TRACE meanwhile.
 */
@ExtendWith(OutputCaptureExtension.class)
class EvaluationSecretsIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final List<String> VERBOSE = List.of("io.patchbay", "org.springframework.web", "org.springframework.kafka");

    @Test
    void thePlaintextPasswordAppearsNowhere(CapturedOutput output) {
        LogCapture events = LogCapture.everything();
        VERBOSE.forEach(name -> events.turnUp(name, name.equals("io.patchbay") ? Level.TRACE : Level.DEBUG));
        String marker = "secrets-test-marker-" + UUID.randomUUID();
        LoggerFactory.getLogger("io.patchbay.test").info(marker);
        Secrets secrets = new Secrets();
        List<HttpResponse<String>> responses = new ArrayList<>();
        String id;
        String producerSecret = "S3cr3t-producer-" + UUID.randomUUID();
        try {
            id = exercise(secrets, responses, producerSecret);
        } finally {
            events.close();
        }

        // Positive controls: the searches below look where the password would be if it leaked.
        assertThat(output.getAll()).contains(marker).contains(id);
        assertThat(events.containing(id)).isNotEmpty();
        String commands = fx.topics().commands(ResourceType.EVALUATION);
        assertThat(fx.kafka().tail(commands).upToNow().stream().map(r -> latin1(r.value())))
                .anySatisfy(value -> assertThat(value).contains("pbkdf2-sha256$600000$"));
        List<EvaluationChanged> changes = fx.kafka().evaluationChanges(id);
        assertThat(changes).extracting(e -> e.getAfter().getSharePasswordSet()).containsExactly(true, true, true, false);

        List<String> all = secrets.all();
        List<String> everywhere = new ArrayList<>(all);
        everywhere.add(producerSecret);
        for (HttpResponse<String> response : responses) {
            assertAbsent(all, "response " + response.uri(), response.body() + response.headers().map());
        }
        for (String topic : fx.topics().all()) {
            for (ConsumerRecord<String, byte[]> record : fx.kafka().tail(topic).upToNow()) {
                // The producer test put its plaintext on the commands topic itself; everything downstream must not.
                List<String> searched = topic.equals(commands) ? all : everywhere;
                assertAbsent(searched, topic + " key", String.valueOf(record.key()));
                assertAbsent(searched, topic + " value", record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                for (Header header : record.headers()) {
                    assertAbsent(searched, topic + " header " + header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
            }
        }
        for (String table : List.of("command_log", "change_log", "command_request", "evaluation")) {
            fx.jdbi().withHandle(h -> h.createQuery("select * from " + table).mapToMap().list()).forEach(row ->
                    row.forEach((column, value) -> assertAbsent(everywhere, table + "." + column,
                            value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value))));
        }
        assertAbsent(everywhere, "captured output", output.getAll());
        for (ILoggingEvent event : events.events()) {
            assertAbsent(everywhere, "log event", event.getFormattedMessage() + Arrays.toString(event.getArgumentArray())
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
    }

    /** Every way a password can be sent; returns the evaluation that ends up with and then without one. */
    private String exercise(Secrets secrets, List<HttpResponse<String>> responses, String producerSecret) {
        String id = fx.data().newEvaluation(DemoData.ACME);
        String teamOnly = fx.data().newEvaluation(DemoData.ACME);
        String globex = fx.data().newEvaluation(DemoData.GLOBEX);
        String path = "/api/v1/evaluations/" + id;
        String key = "secret-key-" + UUID.randomUUID();

        String first = secrets.next("first");
        String body = "{\"shareAccess\":\"PASSWORD_PROTECTED\",\"sharePassword\":\"" + first + "\"}";
        HttpResponse<String> applied = send(responses, path, "acme_owner", body, "Idempotency-Key", key);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(SecretHasher.verify(first, fx.data().storedEvaluation(id).orElseThrow().sharePasswordHash())).isTrue();
        assertThat(send(responses, path, "acme_owner", body, "Idempotency-Key", key).headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("reused") + "\"}", "Idempotency-Key", key)
                .statusCode()).isEqualTo(409);

        String second = secrets.next("second");
        assertThat(send(responses, path, "acme_admin", "{\"sharePassword\":\"" + second + "\"}").statusCode()).isEqualTo(200);
        assertThat(SecretHasher.verify(second, fx.data().storedEvaluation(id).orElseThrow().sharePasswordHash())).isTrue();

        HttpResponse<String> accepted = send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("async") + "\"}",
                "Prefer", "respond-async");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow().substring("https://app.example.com".length());
        Poll.until("the command applied", Duration.ofSeconds(30), () -> send(responses, location, "acme_owner", null),
                r -> ApiClient.json(r).get("status").stringValue().equals("APPLIED"));

        assertThat(send(responses, path, "acme_editor", "{\"sharePassword\":\"" + secrets.next("editor") + "\"}").statusCode()).isEqualTo(403);
        assertThat(send(responses, "/api/v1/evaluations/" + teamOnly, "acme_owner", "{\"sharePassword\":\"" + secrets.next("state")
                + "\"}").statusCode()).isEqualTo(400);
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("long") + "x".repeat(128) + "\"}")
                .statusCode()).isEqualTo(400);
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("malformed") + "\",").statusCode()).isEqualTo(400);
        String repeated = secrets.next("repeated");
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + repeated + "\",\"sharePassword\":\"" + repeated + "\"}")
                .statusCode()).isEqualTo(400);
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("unknown") + "\",\"bogus\":1}").statusCode())
                .isEqualTo(400);
        assertThat(send(responses, path, "acme_owner", "{\"sharePassword\":\"" + secrets.next("badtype") + "\",\"name\":5}").statusCode())
                .isEqualTo(400);
        assertThat(send(responses, "/api/v1/evaluations/" + globex, "acme_owner", "{\"sharePassword\":\"" + secrets.next("team") + "\"}")
                .statusCode()).isEqualTo(404);

        assertThat(send(responses, path, "acme_owner", "{\"shareAccess\":\"TEAM_ONLY\"}").statusCode()).isEqualTo(200);
        assertThat(fx.data().storedEvaluation(id).orElseThrow().sharePasswordHash()).isNull();
        send(responses, path, "acme_viewer", null);

        EvaluationUpdateCommand direct = TestCommands.evaluation(id, DemoData.ACME, "acme_owner", EvaluationPatch.newBuilder()
                .setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordHash(producerSecret).build());
        fx.kafka().produce(fx.topics().commands(ResourceType.EVALUATION), id, direct);
        assertThat(fx.kafka().awaitResult(direct.getMetadata().getCommandId()).getStatus()).isEqualTo(CommandStatus.REJECTED);
        return id;
    }

    private static HttpResponse<String> send(List<HttpResponse<String>> responses, String path, String keyId, String body,
                                             String... headers) {
        ApiClient.Call call = fx.http().call(body == null ? "GET" : "PATCH", path).token(fx.token(keyId));
        if (body != null) {
            call.json(body);
        }
        for (int i = 0; i < headers.length; i += 2) {
            call.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = call.send();
        responses.add(response);
        return response;
    }

    private static void assertAbsent(List<String> secrets, String where, String text) {
        for (String secret : secrets) {
            assertThat(text).as("plaintext password in " + where).doesNotContain(secret);
        }
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Unique plaintexts, one per way of sending one. */
    private static final class Secrets {
        private final List<String> all = new ArrayList<>();

        String next(String purpose) {
            String secret = "S3cr3t-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 13);
            all.add(secret);
            return secret;
        }

        List<String> all() {
            return List.copyOf(all);
        }
    }
}
