package io.patchbay.devstack.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.campaign.schedule.FaultKind;

/**
 * The suite's campaign: three minutes of mixed load with every kind of fault, overlapping, from a fixed seed whose
 * schedule holds each kind (seed 4: network trouble, a broker restart and a PostgreSQL restart together at the
 * start, a pause and a joining processor together, kills, purges). Longer campaigns run from the command line
 * ({@code ./campaign.sh}, RELIABILITY.md).
 */
class CampaignIT {

    @Test
    void threeMinutesOfOverlappingFaultsLoseNothingApplyNothingTwiceAndLeaveNoGapOrLag() {
        CampaignOptions defaults = CampaignOptions.defaults(Duration.ofMinutes(3), 4,
                Path.of(System.getProperty("java.io.tmpdir"), "campaign-it").toAbsolutePath());
        CampaignOptions options = new CampaignOptions(defaults.duration(), defaults.seed(), defaults.rate(),
                Duration.ofSeconds(15), EnumSet.allOf(FaultKind.class), defaults.retention(), defaults.clientWindow(),
                defaults.partitions(), defaults.resourcesPerType(), defaults.directory());

        CampaignReport report = CampaignRun.run(options, System.out);
        System.out.println(report.details());

        assertThat(report.verdict().violations()).as(report.details()).isEmpty();
        assertThat(report.faultsInjected().keySet()).as("every kind of fault took effect: " + report.faultsInjected())
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FaultKind.class));
        assertThat(report.verdict().applied()).as(report.summary()).isGreaterThan(1000);
        assertThat(report.verdict().deadLettered()).as(report.summary()).isPositive();
        assertThat(report.verdict().http202()).as(report.summary()).isPositive();
    }
}
