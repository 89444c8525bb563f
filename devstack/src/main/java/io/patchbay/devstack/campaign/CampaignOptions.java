package io.patchbay.devstack.campaign;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.patchbay.devstack.campaign.schedule.FaultKind;

/**
 * What a campaign runs.
 *
 * @param duration how long load is offered and faults are injected; then the campaign heals, drains and checks
 * @param seed draws the load and the fault schedule
 * @param rate ops per second
 * @param meanFaultGap mean time between two fault starts
 * @param faults the kinds drawn from
 * @param retention the command log retention and idempotency retention: short, so that the purge runs in the campaign;
 *     it must stay longer than the clients' retry window and any redelivery
 * @param clientWindow how long an HTTP op may retry
 * @param partitions partitions of every topic
 * @param directory where logs, the history and the report go
 */
public record CampaignOptions(Duration duration, long seed, int rate, Duration meanFaultGap, Set<FaultKind> faults,
                              Duration retention, Duration clientWindow, int partitions, int resourcesPerType,
                              Path directory) {

    public CampaignOptions {
        faults = Set.copyOf(faults);
        if (clientWindow.multipliedBy(2).compareTo(retention) > 0) {
            throw new IllegalArgumentException("the retention (" + retention + ") must be at least twice the client window ("
                    + clientWindow + "): a retry after the key's purge would be a new command");
        }
    }

    /** The defaults of the command line, for {@code duration} and {@code seed}. */
    public static CampaignOptions defaults(Duration duration, long seed, Path directory) {
        return new CampaignOptions(duration, seed, 15, Duration.ofSeconds(20), EnumSet.allOf(FaultKind.class),
                Duration.ofSeconds(120), Duration.ofSeconds(50), 6, 40, directory);
    }

    /**
     * The command line that runs these options again ({@code ./campaign.sh ...}): the same seed draws the same load
     * and schedule.
     */
    public String commandLine() {
        String line = "./campaign.sh --duration " + duration.toSeconds() + "s --seed " + seed + " --rate " + rate
                + " --fault-gap " + meanFaultGap.toSeconds() + "s --retention " + retention.toSeconds() + "s --client-window "
                + clientWindow.toSeconds() + "s";
        if (!faults.containsAll(EnumSet.allOf(FaultKind.class))) {
            line += " --faults " + faults.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        }
        return line;
    }

    /** How long a campaign of these options may take at most, start and check included. */
    public Duration budget() {
        return duration.plus(clientWindow).plus(Duration.ofMinutes(12));
    }
}
