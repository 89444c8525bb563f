package io.patchbay.devstack.campaign;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.patchbay.devstack.campaign.schedule.FaultKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The campaign runner's entry point: one randomized fault campaign under sustained load, checked at the end.
 * Exit code 0 when the history is clean, 1 when it broke a guarantee (the first violation is printed with the
 * seed and the fault schedule), 2 when the campaign itself could not run.
 *
 * <pre>
 * java -cp devstack/target/patchbay-devstack.jar -Dloader.main=io.patchbay.devstack.campaign.Campaign \
 *      org.springframework.boot.loader.launch.PropertiesLauncher --duration 10m --seed 7
 * </pre>
 */
@Command(name = "campaign", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs patchbay under sustained mixed load with random overlapping faults for a while, then checks"
                + " the whole history: nothing lost, nothing applied twice, no version gaps, no stuck partition.")
public final class Campaign implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "3m", converter = DurationConverter.class,
            description = "How long load and faults run, e.g. 3m, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", description = "Draws the load and the fault schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "15", description = "Ops per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--fault-gap", defaultValue = "20s", converter = DurationConverter.class,
            description = "Mean time between two fault starts (default: ${DEFAULT-VALUE}).")
    Duration faultGap;

    @Option(names = "--faults", split = ",", description = "Fault kinds to draw from (default: all): ${COMPLETION-CANDIDATES}.")
    Set<FaultKind> faults;

    @Option(names = "--retention", defaultValue = "120s", converter = DurationConverter.class,
            description = "Command log and idempotency retention, short so that purges run (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--client-window", defaultValue = "50s", converter = DurationConverter.class,
            description = "How long an HTTP op may retry; at most half the retention (default: ${DEFAULT-VALUE}).")
    Duration clientWindow;

    @Option(names = "--output", description = "Directory for logs, history and report (default: target/campaigns/<time>-seed<seed>).")
    Path output;

    public static void main(String[] args) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
        System.exit(new CommandLine(new Campaign()).execute(args));
    }

    /** The options given on the command line, the others at their defaults. */
    CampaignOptions options() {
        Path directory = output != null ? output : Path.of("target", "campaigns",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-seed" + seed);
        CampaignOptions defaults = CampaignOptions.defaults(duration, seed, directory.toAbsolutePath());
        return new CampaignOptions(duration, seed, rate, faultGap,
                faults == null || faults.isEmpty() ? EnumSet.allOf(FaultKind.class) : faults, retention,
                clientWindow, defaults.partitions(), defaults.resourcesPerType(), defaults.directory());
    }

    @Override
    public Integer call() {
        CampaignOptions options = options();
        try {
            CampaignReport report = CampaignRun.run(options, System.out);
            System.out.println();
            System.out.println(report.details());
            return report.passed() ? 0 : 1;
        } catch (RuntimeException | AssertionError e) {
            e.printStackTrace();
            System.out.println("CAMPAIGN ABORTED seed=" + seed + ": " + e);
            return 2;
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new CommandLine.TypeConversionException("not a duration: " + value + " (use 90s, 10m, 1h)");
            };
        }
    }
}
