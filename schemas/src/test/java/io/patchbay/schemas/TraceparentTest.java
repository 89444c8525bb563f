package io.patchbay.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void aSampledSpanIsFormattedWithFlags01() {
        assertThat(Traceparent.format(TRACE, SPAN, true)).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    }

    @Test
    void anUnsampledOrUndecidedSpanIsFormattedWithFlags00() {
        assertThat(Traceparent.format(TRACE, SPAN, false)).isEqualTo("00-" + TRACE + "-" + SPAN + "-00");
        assertThat(Traceparent.format(TRACE, SPAN, null)).isEqualTo("00-" + TRACE + "-" + SPAN + "-00");
    }

    @Test
    void aSpanWithoutIdsHasNoTraceparent() {
        assertThat(Traceparent.format(null, SPAN, true)).isNull();
        assertThat(Traceparent.format(TRACE, "", true)).isNull();
    }
}
