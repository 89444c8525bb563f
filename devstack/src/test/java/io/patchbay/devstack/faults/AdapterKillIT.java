package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.patchbay.testing.http.ApiClient;

/**
 * An adapter killed with SIGKILL leaves its member in the replies group until the member's session ends; started
 * again, it must lease a reply partition before its wait at start gives up, and answer synchronously again.
 */
class AdapterKillIT {

    @Test
    void anAdapterRestartedAfterSigkillLeasesAReplyPartitionAtStartAndAnswersSynchronously() throws IOException {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("adapter-kill", false, false, 3, 40, 0, Map.of()))) {
            stack.startInProcessProcessor();
            AppProcess adapter = stack.startAdapterProcess("adapter");
            String evaluation = stack.seeded().evaluations().get(0);
            assertThat(patch(adapter, evaluation, "before the kill").statusCode()).isEqualTo(200);

            adapter.kill();
            adapter.launch();
            adapter.awaitHealthy(Duration.ofSeconds(120));

            String restarted = Files.readString(adapter.logFile());
            restarted = restarted.substring(restarted.lastIndexOf("=== adapter start"));
            assertThat(restarted).as("the restarted adapter's log").doesNotContain("leased within");
            HttpResponse<String> after = patch(adapter, evaluation, "after the restart");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).contains("after the restart");
        }
    }

    private static HttpResponse<String> patch(AppProcess adapter, String evaluation, String name) {
        return new ApiClient(adapter.port()).patchEvaluation(evaluation, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").send();
    }
}
