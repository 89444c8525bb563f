package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;

/**
 * Retention with a short age, through the running apps: command log entries and Idempotency-Key records go after
 * their age, the change log stays, and a key can be used afresh once its record is gone.
 */
class RetentionIT {

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("retention");

    @Test
    void commandLogAndRequestRecordsArePurgedAfterTheirAgeAndTheChangeLogIsKept() {
        Jdbi jdbi = ns.jdbi();
        FaultData.seed(jdbi, 2);
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of(
                     "patchbay.processor.retention", "2s", "patchbay.processor.purge-interval", "250ms",
                     "patchbay.processor.purge-batch-size", "2"));
             ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.idempotency-retention", "2s"))) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));
            for (int i = 0; i < 5; i++) {
                assertThat(patch(http, "eval_f000", "kept-" + i, "key-" + i).statusCode()).isEqualTo(200);
            }
            // each 200 came from a command-log entry written with its change-log row; the entries themselves may
            // already be past the 2 s retention on a loaded machine, so only the kept change log is counted here
            assertThat(count(jdbi, "change_log")).isEqualTo(5);

            Poll.until("command log and request records purged", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> count(jdbi, "command_log") == 0 && count(jdbi, "command_request") == 0);

            assertThat(count(jdbi, "change_log")).isEqualTo(5);
            HttpResponse<String> reused = patch(http, "eval_f000", "after purge", "key-0");
            assertThat(reused.statusCode()).isEqualTo(200);
            assertThat(reused.headers().firstValue("Idempotent-Replayed")).isEmpty();
            assertThat(count(jdbi, "change_log")).isEqualTo(6);
        }
    }

    private static HttpResponse<String> patch(ApiClient http, String id, String name, String key) {
        return http.patchEvaluation(id, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").idempotencyKey(key).send();
    }

    private static int count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
    }
}
