package io.patchbay.devstack.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.FaultDataAdapter;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * Rate limiting (api-contract §1.6) on an adapter of this test's own with {@code patchbay.api.rate-limit.per-minute=4}:
 * every authenticated request (history routes included) takes one of the team's budget and says what is left; the
 * fifth is a 429 in each API's format. Off by default: devstack's adapter sends no {@code X-RateLimit-*} header.
 */
class RateLimitIT {

    private static final String EVALUATION = "/api/v1/evaluations/eval_f000";
    private static final String AUTOMATION = "/api/automations/auto_f000/";
    private static final HttpClient http = HttpClient.newHttpClient();
    private static FaultDataAdapter adapter;

    @BeforeAll
    static void startAdapter() {
        adapter = FaultDataAdapter.start("ratelimit", Map.of("patchbay.api.rate-limit.per-minute", "4",
                "patchbay.api.command-wait", "0"));
    }

    @AfterAll
    static void stopAdapter() {
        adapter.close();
    }

    @Test
    void everyAuthenticatedAnswerCarriesTheBudgetAndTheRequestOverItIs429InEachApisFormat() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> unauthenticated = send("GET", EVALUATION, null, null);
        HttpResponse<String> read = send("GET", EVALUATION, FaultData.TOKEN, null);
        HttpResponse<String> refusedBody = send("PATCH", EVALUATION, FaultData.TOKEN, "{\"name\":");
        HttpResponse<String> accepted = send("PATCH", EVALUATION, FaultData.TOKEN, "{\"name\":\"limited\"}");
        HttpResponse<String> last = send("GET", EVALUATION + "/changes", FaultData.TOKEN, null);
        HttpResponse<String> autousers = send("GET", EVALUATION, FaultData.TOKEN, null);
        HttpResponse<String> respan = send("GET", AUTOMATION + "changes/", FaultData.TOKEN, null);

        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.headers().firstValue("X-RateLimit-Limit")).as("not counted").isEmpty();
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(refusedBody.statusCode()).isEqualTo(400);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(last.statusCode()).as("the history routes count too: " + last.body()).isEqualTo(200);
        int remaining = 3;
        for (HttpResponse<String> counted : java.util.List.of(read, refusedBody, accepted, last)) {
            assertThat(counted.headers().firstValue("X-RateLimit-Limit")).hasValue("4");
            assertThat(counted.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(remaining--));
            assertThat(Long.parseLong(counted.headers().firstValue("X-RateLimit-Reset").orElseThrow()))
                    .isBetween(before, Instant.now().getEpochSecond() + 61);
        }
        assertThat(autousers.statusCode()).isEqualTo(429);
        assertThat(autousers.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        long retryAfter = Long.parseLong(autousers.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        JsonNode error = JsonValues.MAPPER.readTree(autousers.body()).get("error");
        assertThat(error.get("type").stringValue()).isEqualTo("rate_limit_error");
        assertThat(error.get("code").stringValue()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").stringValue()).contains("retry after");
        assertThat(error.get("request_id").stringValue()).isEqualTo(autousers.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(respan.statusCode()).isEqualTo(429);
        JsonNode detail = JsonValues.MAPPER.readTree(respan.body());
        assertThat(detail.get("detail").stringValue()).isEqualTo("Rate limit exceeded");
        assertThat(detail.get("retry_after").asLong()).isEqualTo(Long.parseLong(respan.headers().firstValue("Retry-After").orElseThrow()));
    }

    @Test
    void rateLimitingIsOffByDefault() {
        HttpResponse<String> answer = PatchbayStack.shared().http().send("GET", "/api/v1/evaluations/eval_acme_draft",
                PatchbayStack.shared().token("acme_viewer"), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-ratelimit"));
    }

    private static HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adapter.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
