package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.adapter.command.OutcomeWaiter;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;

/**
 * A {@code Prefer: respond-async} PATCH awaits no outcome, so the adapter decodes none for it: its reply still comes
 * to the instance that published the command (the processor routes by the command's headers alone), and is read and
 * skipped. A synchronous PATCH right after is decoded as before.
 */
class RespondAsyncRepliesIT {

    private static final int ASYNC_PATCHES = 5;

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void theOutcomeOfARespondAsyncPatchIsReadButNeverDecoded() {
        OutcomeWaiter replies = fx.apps().adapter().getBean(OutcomeWaiter.class);
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b);
        long decodedBefore = replies.decoded();
        long skippedBefore = replies.skipped();

        for (int i = 0; i < ASYNC_PATCHES; i++) {
            HttpResponse<String> accepted = patch(id, "async " + i).header("Prefer", "respond-async").send();
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
        Poll.until("the replies of the " + ASYNC_PATCHES + " respond-async PATCHes reach the adapter", Duration.ofSeconds(60),
                () -> replies.skipped() - skippedBefore >= ASYNC_PATCHES);

        assertThat(replies.decoded()).as("replies decoded for respond-async PATCHes").isEqualTo(decodedBefore);
        HttpResponse<String> applied = patch(id, "sync").send();
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(replies.decoded()).as("the synchronous PATCH's reply").isEqualTo(decodedBefore + 1);
        assertThat(replies.skipped()).isEqualTo(skippedBefore + ASYNC_PATCHES);
    }

    private static ApiClient.Call patch(String id, String name) {
        return fx.http().patchEvaluation(id, fx.token("acme_editor"), "{\"name\":\"" + name + "\"}");
    }
}
