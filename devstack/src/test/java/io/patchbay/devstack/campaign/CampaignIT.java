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
 * The suite's campaign: two minutes of mixed load with every kind of fault, overlapping, from a fixed seed whose
 * schedule holds each kind within the load (seed 5980: a third processor joining while another is killed, PostgreSQL
 * restarting while the broker shuts down, an adapter killed twice around a processor's pause and a second PostgreSQL
 * restart, then a bad network with a purge and a broker SIGKILL in it; every fault ends before the load does). The
 * retention is one minute, so the processors' own purges delete command log entries during the run. Longer
 * campaigns run from the command line ({@code ./campaign.sh}, RELIABILITY.md).
 */
class CampaignIT {

    @Test
    void twoMinutesOfOverlappingFaultsLoseNothingApplyNothingTwiceAndLeaveNoGapOrLag() throws IOException {
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "campaign-it-").toAbsolutePath();
        CampaignOptions options = new CampaignOptions(Duration.ofMinutes(2), 5980, 15, Duration.ofSeconds(15),
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
