package io.patchbay.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class DurationsTest {

    private final Durations durations = new Durations();

    @Test
    void readsShortFormsAndIso8601() {
        assertThat(durations.convert("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(durations.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(durations.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(durations.convert("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(durations.convert("P2DT3H")).isEqualTo(Duration.ofHours(51));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> durations.convert("3 weeks")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("90d");
        assertThatThrownBy(() -> durations.convert("-5d")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
