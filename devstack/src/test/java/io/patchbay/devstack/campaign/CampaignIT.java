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
 * The suite's campaign: three minutes of mixed load with every kind of fault, overlapping, from a fixed seed whose
 * schedule holds each kind (seed 1381: an adapter kill, a processor joining for most of the run, PostgreSQL
 * restarting between two purges, kills and a pause of processors, then the broker restarting under a bad network
 * while a purge runs). The retention is one minute, so the processors' own purges and the scheduled ones delete
 * command log entries during the run. Longer campaigns run from the command line ({@code ./campaign.sh},
 * RELIABILITY.md).
 */
class CampaignIT {

    @Test
    void threeMinutesOfOverlappingFaultsLoseNothingApplyNothingTwiceAndLeaveNoGapOrLag() throws IOException {
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "campaign-it-").toAbsolutePath();
        CampaignOptions options = new CampaignOptions(Duration.ofMinutes(3), 1381, 15, Duration.ofSeconds(15),
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
