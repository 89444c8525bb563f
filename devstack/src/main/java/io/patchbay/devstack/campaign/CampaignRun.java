package io.patchbay.devstack.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

import io.patchbay.devstack.campaign.check.HistoryChecker;
import io.patchbay.devstack.campaign.check.Observation;
import io.patchbay.devstack.campaign.check.ObservationReader;
import io.patchbay.devstack.campaign.cluster.CampaignCluster;
import io.patchbay.devstack.campaign.load.History;
import io.patchbay.devstack.campaign.load.LoadGenerator;
import io.patchbay.devstack.campaign.schedule.FaultEvent;
import io.patchbay.devstack.campaign.schedule.FaultInjector;
import io.patchbay.devstack.campaign.schedule.FaultSchedule;

/**
 * One campaign, start to verdict: draw the schedule, start the cluster, offer the load and inject the faults for
 * the duration, stop both, heal every part, wait until the processors have committed everything, read what
 * patchbay left behind, and check the whole history against it.
 */
public final class CampaignRun {

    /** The processors' consumer session timeout; a pause lasts longer. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration HEAL = Duration.ofMinutes(10);
    private static final Duration DRAIN = Duration.ofMinutes(4);

    private CampaignRun() {
    }

    public static CampaignReport run(CampaignOptions options, PrintStream log) {
        Map<String, Level> levels = quietLogs();
        try {
            return runQuietly(options, log);
        } finally {
            restore(levels);
        }
    }

    /**
     * The campaign prints its own progress; its own clients' logs (Kafka's retries and reconnects under faults, the
     * embedded PostgreSQL's) are noise, so they are turned down while it runs. Returns the levels to restore.
     */
    private static Map<String, Level> quietLogs() {
        Map<String, Level> previous = new LinkedHashMap<>();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            for (String name : List.of("org.apache.kafka", "io.zonky", "org.flywaydb", "kafka")) {
                ch.qos.logback.classic.Logger logger = logback.getLogger(name);
                previous.put(name, logger.getLevel());
                logger.setLevel(Level.ERROR);
            }
        }
        return previous;
    }

    private static void restore(Map<String, Level> levels) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            levels.forEach((name, level) -> logback.getLogger(name).setLevel(level));
        }
    }

    private static CampaignReport runQuietly(CampaignOptions options, PrintStream log) {
        Path directory = options.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<FaultEvent> schedule = FaultSchedule.draw(new FaultSchedule.Settings(options.seed(), options.duration(),
                options.meanFaultGap(), options.faults(), SESSION_TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(10)));
        log.printf("[campaign] %s: %d faults scheduled:%n", options.commandLine(), schedule.size());
        schedule.forEach(event -> log.println("[campaign]   " + event.describe()));
        long wallStart = System.nanoTime();
        CampaignCluster.Settings settings = new CampaignCluster.Settings(options.partitions(), options.resourcesPerType(),
                options.retention(), options.retention().dividedBy(3), SESSION_TIMEOUT, directory);
        try (CampaignCluster cluster = CampaignCluster.start(settings)) {
            ObservationReader reader = new ObservationReader(cluster.jdbi(), cluster.broker().bootstrapServers(),
                    cluster.registryUrl(), cluster.topics(), cluster.processorGroup());
            Map<String, SpecificRecord> initialRows = reader.rows();
            long start = System.nanoTime();
            java.util.function.LongSupplier clock = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.printf("[campaign] cluster up in %.1fs; load and faults start%n", (start - wallStart) / 1e9);
            History history = new History();
            LoadGenerator.Settings load = new LoadGenerator.Settings(options.seed(), options.rate(), options.duration(),
                    options.clientWindow(), options.retention().dividedBy(6), 32);
            FaultInjector injector = new FaultInjector(cluster, schedule, clock, options.retention(), log);
            try (LoadGenerator generator = new LoadGenerator(load, new LoadGenerator.Target(cluster.adapterUrls(),
                    cluster.proxiedBootstrapServers(), cluster.registryUrl(), cluster.topics(), cluster.seeded()), history,
                    clock)) {
                generator.start();
                injector.start();
                while (clock.getAsLong() < options.duration().toMillis()) {
                    LockSupport.parkNanos(Duration.ofMillis(Math.min(1000, options.duration().toMillis()
                            - clock.getAsLong())).toNanos());
                }
                log.printf("[campaign +%.1fs] load ends after %d ops; healing%n", clock.getAsLong() / 1000.0, history.size());
                injector.stopAndHeal(HEAL);
                generator.awaitEnd(options.clientWindow().plus(HEAL));
            }
            log.printf("[campaign +%.1fs] every op ended; waiting for the processors to commit everything%n",
                    clock.getAsLong() / 1000.0);
            Map<String, Long> lag = reader.awaitNoLag(DRAIN);
            Observation observation = reader.read(lag);
            history.write(directory.resolve("history.jsonl"));
            HistoryChecker.Verdict verdict = HistoryChecker.check(history.ops(), observation, initialRows);
            CampaignReport report = new CampaignReport(options.seed(), options.duration().toSeconds(), options.rate(),
                    options.commandLine(), commit(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wallStart), injector.injectedByKind(),
                    schedule.stream().map(FaultEvent::describe).toList(),
                    injector.executed().stream().map(FaultInjector.Executed::describe).toList(), verdict, directory);
            report.write();
            return report;
        }
    }

    /** The commit the campaign runs ({@code git rev-parse --short HEAD} where it runs), or {@code unknown}. */
    static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            String dirty = "";
            Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
            if (!new String(status.getInputStream().readAllBytes()).isBlank()) {
                dirty = "+dirty";
            }
            return git.waitFor() == 0 && status.waitFor() == 0 ? out + dirty : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
