package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuPerCommandTest {

    @Test
    void dividesCpuSecondsIntoMillisecondsPerCommand() {
        Results.CpuPerCommand cpu = Results.CpuPerCommand.of(2.0, "app", 1.0, 1_000);

        assertThat(cpu.app()).isEqualTo(2.0);
        assertThat(cpu.database()).isEqualTo(1.0);
    }

    @Test
    void reportsUnknownRatherThanDividingByNoCommands() {
        Results.CpuPerCommand cpu = Results.CpuPerCommand.of(2.0, "app", 1.0, 0);

        assertThat(cpu.app()).isEqualTo(-1);
        assertThat(cpu.database()).isEqualTo(-1);
    }

    @Test
    void keepsAnUnknownMeterUnknown() {
        Results.CpuPerCommand cpu = Results.CpuPerCommand.of(-1, "app", 1.0, 10);

        assertThat(cpu.app()).isEqualTo(-1);
        assertThat(cpu.database()).isEqualTo(100.0);
    }
}
