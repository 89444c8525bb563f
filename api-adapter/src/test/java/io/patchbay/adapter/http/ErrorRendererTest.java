package io.patchbay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.rules.Decision;

/** Respan's DRF field errors, including a field that fails both on its own and in its members. */
class ErrorRendererTest {

    private static CommandError invalid(String field, String message) {
        return Decision.error(ErrorKind.INVALID, null, field, message);
    }

    private static String respan(CommandError... errors) {
        return new String(ErrorRenderer.respanFields(List.of(errors)), StandardCharsets.UTF_8);
    }

    @Test
    void dottedFieldsNestAndMessagesOfOneFieldAreListedTogether() {
        assertThat(respan(invalid("name", "a"), invalid("name", "b"), invalid("configuration.sampling_rate", "c")))
                .isEqualTo("{\"name\":[\"a\",\"b\"],\"configuration\":{\"sampling_rate\":[\"c\"]}}");
    }

    @Test
    void aFieldsOwnErrorAfterItsMembersErrorsReplacesThemInItsPlace() {
        // A fuzzed PATCH got a 500: the renderer failed turning {"sampling_rate":[...]} into a list.
        assertThat(respan(invalid("name", "n"), invalid("configuration.sampling_rate", "A valid number is required."),
                invalid("configuration", "Surrogate characters are not allowed: U+DC00."), invalid("evaluator_ids", "e")))
                .isEqualTo("{\"name\":[\"n\"],\"configuration\":[\"Surrogate characters are not allowed: U+DC00.\"],"
                        + "\"evaluator_ids\":[\"e\"]}");
    }

    @Test
    void aMembersErrorAfterItsFieldsOwnErrorIsLeftOut() {
        assertThat(respan(invalid("configuration", "Surrogate characters are not allowed: U+D800."),
                invalid("configuration.sampling_rate", "A valid number is required."),
                invalid("configuration.a.b", "x")))
                .isEqualTo("{\"configuration\":[\"Surrogate characters are not allowed: U+D800.\"]}");
    }
}
