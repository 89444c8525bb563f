package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultProcessorKillIT {

    @Test
    void processorKilledMidBatchThreeTimesLosesNothingAndAppliesNothingTwice() {
        FaultReport report = FaultScenarios.processorKills(3000, 3);

        assertThat(report.violations()).as(report.details()).isEmpty();
        assertThat(report.lost()).isZero();
        assertThat(report.appliedTwice()).isZero();
        assertThat(report.applied()).as(report.summary()).isGreaterThan(2000);
        assertThat(report.rejected()).as(report.summary()).isGreaterThan(300);
    }
}
