package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;

/**
 * A retry that arrives while its key's first request is still publishing the command (here: the broker is down)
 * must not get a 202: its {@code Location} would name a command that may never reach Kafka. The random-fault
 * campaign found such "phantom 202s" (RELIABILITY.md finding 2). The retry gets 503 with {@code Retry-After} on both
 * APIs instead, and so does the first request once its publish failed (a failure does not prove the command absent,
 * finding 4, so the claim keeps its command id); once the broker is back, a retry publishes the same command again,
 * and a 202 is given only for a command the broker acknowledged.
 *
 * <p>Synchronised on state, not on time: the retries are sent once the first request's claim is in PostgreSQL, and
 * the first request cannot finish before its publish timeout (10 s), far beyond the retries' wait budget (1 s).
 */
class ClaimInFlightIT {

    private static final String EVALUATION = "eval_f000";
    private static final String AUTOMATION = "auto_f000";
    private static FaultStack stack;
    private static ApiClient http;

    @BeforeAll
    static void startWithABrokerOfItsOwn() {
        stack = FaultStack.start(new FaultStack.Config("claim-in-flight", true, false, 3, 1, 1,
                Map.of("patchbay.api.command-wait", "1s", "patchbay.api.publish-timeout", "10s")));
        http = new ApiClient(URI.create(stack.adapterUrls().get(0)).getPort());
    }

    @AfterAll
    static void close() {
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<String> patchEvaluation(String key, boolean async) {
        ApiClient.Call call = http.patchEvaluation(EVALUATION, FaultData.TOKEN, "{\"name\":\"while the broker is down\"}")
                .idempotencyKey(key);
        return (async ? call.header("Prefer", "respond-async") : call).send();
    }

    private static HttpResponse<String> patchAutomation(String key) {
        return http.patchAutomation(AUTOMATION, FaultData.TOKEN, "{\"name\":\"while the broker is down\"}")
                .idempotencyKey(key).send();
    }

    private static int commandStatus(String commandId) {
        return http.call("GET", "/api/v1/commands/" + commandId).token(FaultData.TOKEN).send().statusCode();
    }

    private static String claimedCommand(String key) {
        return stack.jdbi().withHandle(h -> h.createQuery("select command_id from command_request where idempotency_key = :k"
                + " and state = 'CLAIMED'").bind("k", key).mapTo(String.class).findOne().orElse(null));
    }

    private static String state(String commandId) {
        return stack.jdbi().withHandle(h -> h.createQuery("select state from command_request where command_id = :id")
                .bind("id", commandId).mapTo(String.class).findOne().orElse(null));
    }

    private static String commandOf(HttpResponse<String> accepted) {
        String location = accepted.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void aRetryWhileTheFirstRequestIsStillPublishingGets503WithRetryAfterNeverA202ForACommandThatMayNeverExist() throws Exception {
        // the producer knows the topics' partitions before the broker goes, as in a running deployment
        assertThat(patchEvaluation("warm-up", true).statusCode()).isEqualTo(202);
        assertThat(http.patchAutomation(AUTOMATION, FaultData.TOKEN, "{\"name\":\"warm-up\"}").idempotencyKey("warm-up-a")
                .header("Prefer", "respond-async").send().statusCode()).isEqualTo(202);
        stack.broker().stopBroker();
        String key = "in-flight-evaluation";
        String automationKey = "in-flight-automation";
        CompletableFuture<HttpResponse<String>> original = CompletableFuture.supplyAsync(() -> patchEvaluation(key, false));
        CompletableFuture<HttpResponse<String>> automationOriginal = CompletableFuture.supplyAsync(() -> patchAutomation(automationKey));
        String claimed = Poll.value("the first request claims the key", Duration.ofSeconds(30), () -> claimedCommand(key));
        Poll.value("the first Respan request claims its key", Duration.ofSeconds(30), () -> claimedCommand(automationKey));

        HttpResponse<String> retry = patchEvaluation(key, false);
        HttpResponse<String> asyncRetry = patchEvaluation(key, true);
        HttpResponse<String> automationRetry = patchAutomation(automationKey);

        assertThat(original).as("the first request is still publishing while the retries are answered").isNotDone();
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(503);
        assertThat(retry.headers().firstValue("Retry-After")).contains("1");
        assertThat(retry.headers().firstValue("Location")).isEmpty();
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(ApiClient.json(retry).get("error").get("type").stringValue()).isEqualTo("api_error");
        assertThat(ApiClient.json(retry).get("error").get("code").stringValue()).isEqualTo("idempotency_key_in_progress");
        assertThat(ApiClient.json(retry).get("error").get("param").stringValue()).isEqualTo("Idempotency-Key");
        assertThat(asyncRetry.statusCode()).as(asyncRetry.body()).isEqualTo(503);
        assertThat(asyncRetry.headers().firstValue("Location")).isEmpty();
        assertThat(automationRetry.statusCode()).as(automationRetry.body()).isEqualTo(503);
        assertThat(automationRetry.headers().firstValue("Retry-After")).contains("1");
        assertThat(ApiClient.json(automationRetry).get("code").stringValue()).isEqualTo("idempotency_key_in_progress");
        assertThat(ApiClient.json(automationRetry).get("detail").stringValue()).contains("still being submitted");

        HttpResponse<String> failed = original.get(90, TimeUnit.SECONDS);
        assertThat(failed.statusCode()).as("the publish failed: retry with the key").isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).contains("1");
        assertThat(ApiClient.json(failed).get("error").get("code").stringValue()).isEqualTo("idempotency_key_in_progress");
        assertThat(automationOriginal.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(state(claimed)).as("the failed publish keeps the claim and its command id").isEqualTo("CLAIMED");

        stack.broker().startBroker();
        HttpResponse<String> afresh = Poll.value("a retry publishes the claim's command once the broker is back",
                Duration.ofSeconds(120), () -> {
                    HttpResponse<String> response = patchEvaluation(key, true);
                    return response.statusCode() == 202 ? response : null;
                });
        String accepted = commandOf(afresh);
        assertThat(accepted).as("the same command id, never a second command for the key").isEqualTo(claimed);
        assertThat(afresh.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(state(accepted)).as("a 202 only once the broker acknowledged the command").isEqualTo("SUBMITTED");
        assertThat(commandStatus(accepted)).as("the accepted command is on its topic (PENDING)").isEqualTo(200);

        HttpResponse<String> replay = patchEvaluation(key, true);
        assertThat(replay.statusCode()).as("a retry of a submitted claim is a replayed 202").isEqualTo(202);
        assertThat(commandOf(replay)).isEqualTo(accepted);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
    }
}
