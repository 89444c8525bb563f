package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;
import io.patchbay.testing.logging.LogCapture;
import tools.jackson.databind.JsonNode;

/**
 * A synchronous PATCH without {@code Idempotency-Key} whose publish is reported failed only after its handler
 * returned (the broker's acknowledgement held back, then lost: {@link HeldAcknowledgements}) is answered by the
 * answer's completion, not by a handler: the API's own 500, with the request's id in the body and the headers every
 * answer carries; its log line is in the request's trace, although no request thread writes it.
 */
class LatePublishFailureIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("late-publish-failure");

    private final HeldAcknowledgements held = new HeldAcknowledgements();

    /** The handler's error log, captured once the adapter has started (Spring Boot resets logging as it starts). */
    private static final String ERROR_LOG = "io.patchbay.adapter.http.ApiExceptionHandler";

    @Test
    void aPublishFailureReportedAfterTheHandlerReturnedIsAnsweredInTheApisFormat() throws Exception {
        String evaluation = FaultData.seed(ns.jdbi(), 1).evaluations().get(0);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(), held.initializer());
             LogCapture errorLog = LogCapture.of(ERROR_LOG)) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));
            held.hold(evaluation);

            CompletableFuture<HttpResponse<String>> pending = http.patchEvaluation(evaluation, FaultData.TOKEN,
                    "{\"name\":\"reported failed\"}").timeout(DEADLINE).sendAsync();
            Poll.until("the broker appended the command and its acknowledgement is held", DEADLINE,
                    () -> held.holding(evaluation));
            held.loseHeld(evaluation);
            HttpResponse<String> answer = pending.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
            JsonNode error = ApiClient.json(answer).get("error");
            assertThat(error.get("type").asText()).isEqualTo("api_error");
            assertThat(error.get("request_id").asText()).isEqualTo(answer.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(answer.headers().firstValue("Autousers-Version")).isPresent();
            assertThat(answer.headers().firstValue("traceparent")).isPresent();
            assertThat(adapter.getBean(MeterRegistry.class).get("patchbay.adapter.patch.answers").tag("thread", "async")
                    .functionCounter().count()).as("answers given after the handler returned").isEqualTo(1);
            String traceId = answer.headers().firstValue("traceparent").orElseThrow().substring(3, 35);
            assertThat(errorLog.containing(error.get("request_id").asText()))
                    .as("the 500's log line, written off the request's thread").singleElement()
                    .satisfies(event -> assertThat(event.getMDCPropertyMap())
                            .as("in the request's trace").containsEntry("traceId", traceId));
        }
    }
}
