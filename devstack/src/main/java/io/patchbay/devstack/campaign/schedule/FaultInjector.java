package io.patchbay.devstack.campaign.schedule;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;

import io.patchbay.devstack.campaign.cluster.CampaignCluster;
import io.patchbay.devstack.faults.AppProcess;
import io.patchbay.processor.retention.GroupProgress;
import io.patchbay.processor.retention.RetentionPurger;
import io.patchbay.schemas.ResourceType;

/**
 * Runs a {@link FaultSchedule} against a {@link CampaignCluster}: each fault in a thread of its own at its time,
 * so faults overlap; two faults on the same part (the broker, PostgreSQL, the network, one app) take turns, and
 * one that cannot have its part within {@link #TURN} is skipped and reported so. At the end, {@link #stopAndHeal}
 * lets the running faults finish and brings every part back.
 */
public final class FaultInjector {

    /** What became of a scheduled fault. */
    public record Executed(FaultEvent event, long startMillis, long endMillis, String outcome) {

        public boolean injected() {
            return outcome.startsWith("done");
        }

        public String describe() {
            return String.format("%s | ran +%.1fs..+%.1fs: %s", event.describe(), startMillis / 1000.0, endMillis / 1000.0,
                    outcome);
        }
    }

    private static final Duration TURN = Duration.ofSeconds(30);
    /** How long an app may take to start again: minutes on a loaded machine. */
    private static final Duration START = Duration.ofMinutes(10);

    private final CampaignCluster cluster;
    private final List<FaultEvent> schedule;
    private final LongSupplier clock;
    private final Duration retention;
    private final PrintStream log;
    private final Map<String, ReentrantLock> parts = new ConcurrentHashMap<>();
    private final List<Executed> executed = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService faults = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "campaign-fault");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;
    private volatile boolean postgresDown;
    private Thread scheduler;

    /**
     * @param clock milliseconds since the campaign started
     * @param retention the retention the purge fault uses
     */
    public FaultInjector(CampaignCluster cluster, List<FaultEvent> schedule, LongSupplier clock, Duration retention,
                         PrintStream log) {
        this.cluster = cluster;
        this.schedule = schedule;
        this.clock = clock;
        this.retention = retention;
        this.log = log;
    }

    public FaultInjector start() {
        scheduler = new Thread(this::dispatch, "campaign-faults");
        scheduler.setDaemon(true);
        scheduler.start();
        return this;
    }

    private void dispatch() {
        for (FaultEvent event : schedule) {
            while (!stopping && clock.getAsLong() < event.at().toMillis()) {
                LockSupport.parkNanos(Duration.ofMillis(Math.min(200, event.at().toMillis() - clock.getAsLong())).toNanos());
            }
            if (stopping) {
                return;
            }
            faults.execute(() -> run(event));
        }
    }

    private void run(FaultEvent event) {
        long start = clock.getAsLong();
        ReentrantLock part = parts.computeIfAbsent(part(event), k -> new ReentrantLock());
        String outcome;
        try {
            if (!part.tryLock(TURN.toMillis(), TimeUnit.MILLISECONDS)) {
                record(event, start, "skipped: " + part(event) + " stayed busy with another fault for " + TURN);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        start = clock.getAsLong();
        log.printf("[campaign +%.1fs] fault %s%n", start / 1000.0, event.describe());
        try {
            outcome = inject(event);
        } catch (RuntimeException | AssertionError e) {
            outcome = "failed: " + e;
        } finally {
            part.unlock();
        }
        record(event, start, outcome);
    }

    private void record(FaultEvent event, long start, String outcome) {
        Executed done = new Executed(event, start, clock.getAsLong(), outcome);
        executed.add(done);
        log.printf("[campaign +%.1fs] fault %s%n", done.endMillis() / 1000.0, done.describe());
    }

    private String inject(FaultEvent event) {
        switch (event.kind()) {
            case PROCESSOR_KILL -> restart(cluster.processor(event.target()), event.hold(), true);
            case ADAPTER_KILL -> restart(cluster.adapter(event.target()), event.hold(), true);
            case BROKER_RESTART -> {
                if (event.variant().equals("SIGKILL")) {
                    cluster.broker().kill();
                } else {
                    cluster.broker().stop();
                }
                hold(event.hold());
                cluster.broker().restart();
            }
            case POSTGRES_RESTART -> {
                postgresDown = true;
                cluster.postgres().stop();
                hold(event.hold());
                cluster.postgres().restart();
                postgresDown = false;
            }
            case PROCESSOR_JOIN_LEAVE -> {
                if (event.variant().equals("join")) {
                    AppProcess joiner = cluster.processor(2);
                    joiner.launch();
                    joiner.awaitHealthy(START);
                    hold(event.hold());
                    joiner.stop();
                } else {
                    restart(cluster.processor(event.target()), event.hold(), false);
                }
            }
            case PROCESSOR_PAUSE -> {
                AppProcess processor = cluster.processor(event.target());
                processor.pause();
                hold(event.hold());
                processor.resume();
            }
            case RETENTION_PURGE -> {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.broker().bootstrapServers()))) {
                    GroupProgress progress = new GroupProgress(admin, cluster.processorGroup(), List.of(
                            cluster.topics().commands(ResourceType.EVALUATION), cluster.topics().commands(ResourceType.AUTOMATION)),
                            Duration.ofSeconds(10));
                    RetentionPurger.Purged purged = new RetentionPurger(cluster.jdbi(), progress, retention,
                            cluster.settings().purgeInterval(), 500, Clock.systemUTC()).purgeOnce();
                    return "done (purged " + purged.commandLogEntries() + " command log entries, " + purged.requestRecords()
                            + " request records)";
                }
            }
            case NETWORK -> {
                cluster.proxy().impair(event.impairment());
                hold(event.hold());
                cluster.proxy().heal();
            }
            default -> throw new IllegalArgumentException(event.kind().name());
        }
        return "done";
    }

    private void restart(AppProcess app, Duration down, boolean kill) {
        if (kill) {
            app.kill();
        } else {
            app.stop();
        }
        hold(down);
        app.launch();
        app.awaitHealthy(START);
    }

    /** The fault's length: nothing waits on it but the fault itself. */
    private static void hold(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    private static String part(FaultEvent event) {
        return switch (event.kind()) {
            case PROCESSOR_KILL, PROCESSOR_PAUSE -> "processor-" + event.target();
            case ADAPTER_KILL -> "adapter-" + event.target();
            case PROCESSOR_JOIN_LEAVE -> "processor-" + (event.variant().equals("join") ? 2 : event.target());
            case BROKER_RESTART -> "broker";
            case POSTGRES_RESTART -> "postgres";
            case RETENTION_PURGE -> "purge";
            case NETWORK -> "network";
        };
    }

    /**
     * Starts no more faults, waits until the running ones end, and brings every part back: a clean network, the
     * broker and PostgreSQL up, processors 0 and 1 and both adapters running and UP, the joiner gone.
     */
    public void stopAndHeal(Duration deadline) {
        stopping = true;
        faults.shutdown();
        try {
            if (!faults.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                log.println("[campaign] faults still running after " + deadline + "; healing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cluster.proxy().heal();
        if (!cluster.broker().isAlive()) {
            cluster.broker().restart();
        }
        if (postgresDown) {
            cluster.postgres().restart();
            postgresDown = false;
        }
        List<AppProcess> running = new ArrayList<>(List.of(cluster.processor(0), cluster.processor(1),
                cluster.adapter(0), cluster.adapter(1)));
        for (AppProcess app : running) {
            if (app.isPaused()) {
                app.resume();
            }
            if (!app.isAlive()) {
                app.launch();
            }
        }
        running.forEach(app -> app.awaitHealthy(START));
        if (cluster.processor(2).isAlive()) {
            cluster.processor(2).stop();
        }
    }

    /** Every scheduled fault that ran, was skipped or failed, in the order they ended. */
    public List<Executed> executed() {
        synchronized (executed) {
            return List.copyOf(executed);
        }
    }

    /** Faults that took effect, by kind. */
    public Map<FaultKind, Integer> injectedByKind() {
        Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
        executed().stream().filter(Executed::injected).forEach(e -> counts.merge(e.event().kind(), 1, Integer::sum));
        return counts;
    }
}
