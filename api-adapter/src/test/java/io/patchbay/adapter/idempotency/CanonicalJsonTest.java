package io.patchbay.adapter.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.json.JsonValues;

/** The canonical form behind request fingerprints (api-contract §2.3). */
class CanonicalJsonTest {

    private static String canonical(String json) {
        return CanonicalJson.of(JsonValues.MAPPER.readTree(json));
    }

    @Test
    void memberOrderAndWhitespaceDoNotMatterButTypesDo() {
        assertThat(canonical("{ \"b\" : 1, \"a\" : [true, \"x\"] }")).isEqualTo(canonical("{\"a\":[true,\"x\"],\"b\":1}"))
                .isEqualTo("{\"a\":[true,\"x\"],\"b\":1}");
        assertThat(canonical("{\"a\":true}")).isNotEqualTo(canonical("{\"a\":\"true\"}"));
        assertThat(canonical("{\"a\":0.5}")).isNotEqualTo(canonical("{\"a\":\"0.5\"}"));
    }

    @Test
    void numbersUseTheEcmaScriptForm() {
        assertThat(canonical("[1.0, 1e21, 1e-7, 0.000001, -0, 100]")).isEqualTo("[1,1e+21,1e-7,0.000001,0,100]");
    }

    @Test
    void numbersBeyondTheDoubleRangeHaveADistinctFormInsteadOfFailing() {
        assertThat(canonical("{\"a\":1e400}")).isEqualTo("{\"a\":1E+400}");
        assertThat(canonical("{\"a\":-2.50e400}")).isEqualTo("{\"a\":-2.5E+400}");
        assertThat(canonical("{\"a\":1e400}")).isNotEqualTo(canonical("{\"a\":2e400}"));
    }

    @Test
    void unpairedSurrogatesAreEscapedSoTheyCannotCollideWithAQuestionMark() {
        assertThat(canonical("{\"a\":\"x\\ud800\"}")).isEqualTo("{\"a\":\"x\\ud800\"}");
        assertThat(canonical("{\"a\":\"\\udc00\\ud800\"}")).isEqualTo("{\"a\":\"\\udc00\\ud800\"}");
        assertThat(canonical("{\"a\":\"\\ud83d\\ude00\"}")).isEqualTo("{\"a\":\"\uD83D\uDE00\"}");
        assertThat(canonical("{\"a\":\"\\u0001\\n\"}")).isEqualTo("{\"a\":\"\\u0001\\n\"}");
    }
}
