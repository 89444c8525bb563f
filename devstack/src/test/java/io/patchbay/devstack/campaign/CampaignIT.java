package io.patchbay.devstack.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.campaign.schedule.FaultKind;

/**
 * The suite's campaign: a hundred seconds of mixed load with every kind of fault, overlapping, from a fixed seed whose
 * schedule holds each kind (seed 2055, a fault every 10 s on average: adapter kills, PostgreSQL restarting early, a
 * processor kill under a bad network, a processor joining while the broker restarts under a bad network and a purge
 * runs, then a pause of the processor no other fault touched). The seed is chosen so that each kind has a fault that
 * no PostgreSQL restart or fault on the same part can spoil even when a JVM takes a minute to start on a loaded machine.
 * The retention is one minute, so the purges delete command log entries during the run. Longer campaigns run from the
 * command line ({@code ./campaign.sh}, RELIABILITY.md).
 */
class CampaignIT {

    @Test
    void overlappingFaultsOfEveryKindLoseNothingApplyNothingTwiceAndLeaveNoGapOrLag() throws IOException {
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "campaign-it-").toAbsolutePath();
        CampaignOptions options = new CampaignOptions(Duration.ofSeconds(100), 2055, 15, Duration.ofSeconds(10),
                EnumSet.allOf(FaultKind.class), Duration.ofSeconds(60), Duration.ofSeconds(25), 6, 40, directory);

        CampaignReport report = CampaignRun.run(options, System.out);
        System.out.println(report.details());

        assertThat(report.verdict().violations()).as(report.details()).isEmpty();
        assertThat(report.faultsInjected().keySet()).as("every kind of fault took effect: " + report.faultsInjected())
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FaultKind.class));
        assertThat(report.verdict().applied()).as(report.summary()).isPositive();
        assertThat(report.verdict().httpAccepted()).as(report.summary()).isPositive();
        assertThat(report.verdict().deadLettered()).as(report.summary()).isPositive();
        assertThat(report.verdict().purged()).as("the purge deleted command log entries: " + report.summary()).isPositive();
    }
}
