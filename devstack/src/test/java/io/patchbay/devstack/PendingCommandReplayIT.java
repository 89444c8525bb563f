package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;

/** An Idempotency-Key replay of a command that is still pending (no processor runs) answers like the first request. */
class PendingCommandReplayIT {

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("pending");

    @Test
    void aReplayedPendingAnswerCarriesTheFirstRequestId() {
        FaultData.seed(ns.jdbi(), 1);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of("patchbay.api.command-wait", "0"))) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));

            HttpResponse<String> first = patch(http);
            HttpResponse<String> replay = patch(http);

            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(replay.statusCode()).isEqualTo(202);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(replay.headers().firstValue("X-Request-Id")).isEqualTo(first.headers().firstValue("X-Request-Id"));
            assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        }
    }

    private static HttpResponse<String> patch(ApiClient http) {
        return http.patchEvaluation("eval_f000", FaultData.TOKEN, "{\"name\":\"pending\"}").idempotencyKey("pending-replay")
                .send();
    }
}
