package io.patchbay.devstack.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HttpFuzzChecksTest {

    @Test
    void findsAnExceptionNameTheRequestDidNotSend() {
        assertThat(HttpFuzzChecks.leaks("{\"detail\":\"java.lang.NullPointerException: x\"}", "{}"))
                .anySatisfy(leak -> assertThat(leak).contains("NullPointerException"));
    }

    @Test
    void anExceptionNameTheRequestSentItselfIsNotALeak() {
        assertThat(HttpFuzzChecks.leaks("{\"param\":\"FooException\"}", "{\"FooException\":1}")).isEmpty();
    }

    /** A long run of letters once made the leak check backtrack quadratically and stalled a million-request run. */
    @Test
    void aBodyEchoingAHugeFieldNameIsCheckedWithoutBacktrackingForever() {
        String field = "a".repeat(1_000_000);
        String body = "{\"detail\":\"Unknown field " + field + "\"}";
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> HttpFuzzChecks.leaks(body, field))).isEmpty();
    }
}
