package io.patchbay.adapter.resource.evaluations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.patchbay.testing.data.TestStates;
import io.patchbay.schemas.EvaluationState;
import tools.jackson.databind.JsonNode;

/** The Autousers response shape (api-contract §3.6): links from the public base URL, millisecond timestamps. */
class EvaluationJsonTest {

    private static EvaluationState evaluation(String id) {
        return TestStates.evaluation(id, "team").setSharePasswordSet(true)
                .setCreatedAt(Instant.parse("2026-05-04T10:00:00Z")).setUpdatedAt(Instant.parse("2026-05-04T10:05:12.345678Z"))
                .build();
    }

    @Test
    void linksAreAbsoluteFromTheBaseWithoutItsTrailingSlashAndEncodeTheId() {
        JsonNode json = new EvaluationJson("https://app.example.com/").render(evaluation("eval a/b?\u00fc"));

        assertThat(json.get("links").get("preview").stringValue()).isEqualTo("https://app.example.com/evaluations/eval%20a%2Fb%3F%C3%BC/preview");
        assertThat(json.get("links").propertyNames()).containsExactly("preview", "review", "edit", "results", "share");
    }

    @Test
    void timestampsHaveMillisecondsAndZAndNoSecretIsRendered() {
        JsonNode json = new EvaluationJson("https://app.example.com").render(evaluation("e"));

        assertThat(json.get("createdAt").stringValue()).isEqualTo("2026-05-04T10:00:00.000Z");
        assertThat(json.get("updatedAt").stringValue()).isEqualTo("2026-05-04T10:05:12.345Z");
        assertThat(json.toString()).doesNotContain("sharePassword");
    }
}
