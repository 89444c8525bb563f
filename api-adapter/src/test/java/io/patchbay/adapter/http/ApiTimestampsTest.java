package io.patchbay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each API's way of writing an instant (api-contract §1.7). */
class ApiTimestampsTest {

    @ParameterizedTest
    @CsvSource({
            "2026-12-06T17:04:05Z,           2026-12-06T17:04:05Z",
            "2026-12-06T17:04:05.000000900Z, 2026-12-06T17:04:05Z",
            "2026-12-06T17:04:05.000001Z,    2026-12-06T17:04:05.000001Z",
            "2026-12-06T17:04:05.012300Z,    2026-12-06T17:04:05.012300Z",
            "2026-12-06T17:04:05.999999999Z, 2026-12-06T17:04:05.999999Z",
            "1970-01-01T00:00:00.5Z,         1970-01-01T00:00:00.500000Z"})
    void respanWritesSixFractionalDigitsOrNoneWhenTheMicrosecondsAreZero(String instant, String written) {
        assertThat(ApiTimestamps.respan(Instant.parse(instant))).isEqualTo(written);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-12-06T17:04:05Z,           2026-12-06T17:04:05.000Z",
            "2026-12-06T17:04:05.0123Z,      2026-12-06T17:04:05.012Z",
            "2026-12-06T17:04:05.999999999Z, 2026-12-06T17:04:05.999Z"})
    void autousersAlwaysWritesThreeFractionalDigits(String instant, String written) {
        assertThat(ApiTimestamps.autousers(Instant.parse(instant))).isEqualTo(written);
    }

    @Test
    void autousersLeavesAMissingInstantMissing() {
        assertThat(ApiTimestamps.autousers(null)).isNull();
    }
}
