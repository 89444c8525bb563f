package io.patchbay.devstack.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.campaign.schedule.FaultKind;
import picocli.CommandLine;

class CampaignTest {

    private static final Path DIRECTORY = Path.of("/tmp/campaign-test").toAbsolutePath();

    private static CampaignOptions parse(String commandLine) {
        List<String> args = new ArrayList<>(List.of(commandLine.replaceFirst("^\\./campaign\\.sh ", "").split(" ")));
        args.addAll(List.of("--output", DIRECTORY.toString()));
        Campaign campaign = new Campaign();
        new CommandLine(campaign).parseArgs(args.toArray(String[]::new));
        return campaign.options();
    }

    @Test
    void theReplayCommandLineOfTheSuitesCampaignRunsTheSameOptions() {
        CampaignOptions suite = new CampaignOptions(Duration.ofMinutes(2), 5980, 15, Duration.ofSeconds(15),
                EnumSet.allOf(FaultKind.class), Duration.ofSeconds(60), Duration.ofSeconds(25), 6, 40, DIRECTORY);

        assertThat(parse(suite.commandLine())).isEqualTo(suite);
    }

    @Test
    void theReplayCommandLineKeepsARestrictedSetOfFaultKinds() {
        CampaignOptions some = new CampaignOptions(Duration.ofSeconds(90), 7, 20, Duration.ofSeconds(10),
                EnumSet.of(FaultKind.BROKER_RESTART, FaultKind.PROCESSOR_PAUSE), Duration.ofSeconds(120),
                Duration.ofSeconds(50), 6, 40, DIRECTORY);

        assertThat(some.commandLine()).contains("--faults BROKER_RESTART,PROCESSOR_PAUSE");
        assertThat(parse(some.commandLine())).isEqualTo(some);
    }
}
