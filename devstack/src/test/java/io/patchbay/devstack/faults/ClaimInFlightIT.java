package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A retry that arrives while the original request's command is still being published (the broker is down) must not
 * get a 202: its Location would name a command that never exists once the publish fails and the key is released
 * (api-contract §2.5). A campaign found such 202s whose command then answered 404. The retry gets 503 with
 * Retry-After instead, and once the broker is back the key is processed afresh.
 */
class ClaimInFlightIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FaultStack stack;
    private static String adapter;

    @BeforeAll
    static void startWithABrokerOfItsOwn() {
        stack = FaultStack.start(new FaultStack.Config("claim-in-flight", true, false, 3, 2, 1,
                Map.of("patchbay.api.command-wait", "1s", "patchbay.api.publish-timeout", "4s")));
        adapter = stack.adapterUrls().get(0);
    }

    @AfterAll
    static void close() {
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<String> patch(String key, boolean async) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adapter + "/api/v1/evaluations/eval_f000"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + FaultData.TOKEN)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"while the broker is down\"}"));
        if (async) {
            request.header("Prefer", "respond-async");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int commandStatus(String commandId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(adapter + "/api/v1/commands/" + commandId))
                .header("Authorization", "Bearer " + FaultData.TOKEN).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String claimedCommand(String key) {
        return stack.jdbi().withHandle(h -> h.createQuery("select command_id from command_request where idempotency_key = :k"
                + " and state = 'CLAIMED'").bind("k", key).mapTo(String.class).findOne().orElse(null));
    }

    @Test
    void aRetryWhileTheOriginalIsStillBeingPublishedGetsRetryAfterNotA202ForACommandThatMayNeverExist() throws Exception {
        String key = "in-flight-1";
        stack.broker().stopBroker();
        CompletableFuture<HttpResponse<String>> original = CompletableFuture.supplyAsync(() -> patch(key, false));
        String claimed = Poll.value("the original request claims the key", Duration.ofSeconds(30), () -> claimedCommand(key));

        HttpResponse<String> retry = patch(key, false);
        HttpResponse<String> asyncRetry = patch(key, true);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(503);
        assertThat(retry.headers().firstValue("Retry-After")).contains("1");
        assertThat(retry.headers().firstValue("Location")).isEmpty();
        assertThat(retry.body()).contains("\"code\":\"request_in_progress\"");
        assertThat(asyncRetry.statusCode()).as(asyncRetry.body()).isEqualTo(503);
        assertThat(original.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(500);

        stack.broker().startBroker();
        assertThat(commandStatus(claimed)).as("the claimed command never reached Kafka").isEqualTo(404);
        HttpResponse<String> afresh = Poll.value("a retry is processed afresh once the broker is back", Duration.ofSeconds(60),
                () -> {
                    HttpResponse<String> response = patch(key, true);
                    return response.statusCode() == 202 ? response : null;
                });
        String accepted = afresh.headers().firstValue("Location").orElseThrow();
        assertThat(accepted).doesNotEndWith(claimed);
        assertThat(afresh.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(commandStatus(accepted.substring(accepted.lastIndexOf('/') + 1))).isEqualTo(200);
    }
}
