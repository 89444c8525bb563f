package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultTwoAdaptersIT {

    @Test
    void patchesSpreadOverTwoAdaptersAreAllAnsweredWithTheirOwnOutcome() {
        FaultReport report = FaultScenarios.twoAdapters(800);

        assertThat(report.violations()).as(report.details()).isEmpty();
        assertThat(report.httpAccepted202()).isZero();
        assertThat(report.lost()).isZero();
        assertThat(report.appliedTwice()).isZero();
        assertThat(report.accepted()).as(report.summary()).isGreaterThan(600);
    }
}
