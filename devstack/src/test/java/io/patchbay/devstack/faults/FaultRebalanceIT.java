package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultRebalanceIT {

    @Test
    void aSecondProcessorJoiningAndLeavingMidStreamLosesNothingAndKeepsOrder() {
        FaultReport report = FaultScenarios.rebalance(3000);

        assertThat(report.violations()).as(report.details()).isEmpty();
        assertThat(report.lost()).isZero();
        assertThat(report.appliedTwice()).isZero();
        assertThat(report.applied()).as(report.summary()).isGreaterThan(2000);
    }
}
