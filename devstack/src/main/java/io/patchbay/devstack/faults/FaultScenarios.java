package io.patchbay.devstack.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;

import io.patchbay.devstack.faults.CommandPlan.Planned;
import io.patchbay.devstack.infra.Poll;

/**
 * The fault runs: each drives a {@link CommandPlan} through a {@link FaultStack}, injects its fault while the
 * stream flows, waits until everything is processed, and returns the {@link StreamVerifier}'s report (whose
 * one-line summary it also prints). A fault that does not take effect (health never turning DOWN, a second
 * processor never joining) is itself a violation, so a run cannot pass without its fault.
 */
public final class FaultScenarios {

    /** Commands per second the stream is sent at. */
    public static final int RATE = 150;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration DRAIN = Duration.ofSeconds(180);
    /** The rebalance stream is slower, so that it still flows when the second JVM has started, joined and left. */
    private static final int REBALANCE_RATE = 75;
    /** How long a stopped broker or database stays down. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    private FaultScenarios() {
    }

    /** The processor JVM is killed with SIGKILL right after it commits a batch, {@code kills} times, and restarted. */
    public static FaultReport processorKills(int commands, int kills) {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("kill", false, false, 3, 40, 1, Map.of()))) {
            long started = System.nanoTime();
            AppProcess processor = stack.startProcessor("processor");
            return run(stack, "processor-kill", CommandPlan.Options.defaults(commands), started, RATE, 4,
                    (driver, faults, violations) -> {
                for (int k = 1; k <= kills; k++) {
                    awaitDispatched(driver, commands * k / (kills + 1));
                    int before = stack.decided();
                    Poll.until("the processor commits a batch", START, Duration.ofMillis(2), () -> stack.decided() > before);
                    processor.kill();
                    faults.add("SIGKILL#" + k + "@" + stack.decided());
                    processor.launch();
                    processor.awaitHealthy(START);
                }
            }, report -> report.recovered() > 0 ? Optional.empty()
                    : Optional.of("kill: no kill struck between a database commit and its offset commit (recovered=0),"
                            + " so the crash window was not exercised"));
        }
    }

    /** The Kafka broker is stopped under load, stays down while commands keep coming, and is started again. */
    public static FaultReport brokerRestart(int commands) {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("broker", true, false, 3, 40, 1, Map.of()))) {
            long started = System.nanoTime();
            AppProcess processor = stack.startProcessor("processor");
            return run(stack, "broker-restart", commands, started, (driver, faults, violations) -> {
                awaitDispatched(driver, commands / 3);
                long stop = System.nanoTime();
                stack.broker().stopBroker();
                awaitHealth("broker down", 503, processor, stack, violations);
                holdOutage(stop);
                stack.broker().startBroker();
                faults.add(String.format("broker down %.1fs", (System.nanoTime() - stop) / 1e9));
                awaitHealth("broker back", 200, processor, stack, violations);
                faults.add("health DOWN->UP");
            });
        }
    }

    /** PostgreSQL is stopped under load (fast shutdown: sessions terminated), stays down a while, and restarts. */
    public static FaultReport databaseRestart(int commands) {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("postgres", false, true, 3, 40, 1, Map.of()))) {
            long started = System.nanoTime();
            AppProcess processor = stack.startProcessor("processor");
            return run(stack, "db-restart", commands, started, (driver, faults, violations) -> {
                awaitDispatched(driver, commands / 3);
                long stop = System.nanoTime();
                stack.postgres().stop();
                awaitHealth("database down", 503, processor, stack, violations);
                holdOutage(stop);
                stack.postgres().restart();
                faults.add(String.format("postgres down %.1fs", (System.nanoTime() - stop) / 1e9));
                awaitHealth("database back", 200, processor, stack, violations);
                faults.add("health DOWN->UP");
            });
        }
    }

    /**
     * A second processor joins the group mid-stream and takes partitions (every partition's committed offset must
     * move while both are members), then leaves again while the stream still flows: two rebalances.
     */
    public static FaultReport rebalance(int commands) {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("rebalance", false, false, 6, 40, 1, Map.of()))) {
            long started = System.nanoTime();
            stack.startProcessor("processor-a");
            return run(stack, "rebalance", CommandPlan.Options.defaults(commands), started, REBALANCE_RATE, 4,
                    (driver, faults, violations) -> {
                        awaitDispatched(driver, commands / 20);
                        AppProcess second = stack.startProcessor("processor-b");
                        awaitMembers(stack, 2, violations);
                        faults.add("b joined@" + driver.dispatched());
                        awaitEveryPartitionCommits(stack, violations);
                        second.stop();
                        awaitMembers(stack, 1, violations);
                        faults.add("b left@" + driver.dispatched());
                        if (driver.dispatched() >= commands) {
                            violations.add("rebalance: the second processor left only after the stream ended");
                        }
                    }, report -> Optional.empty());
        }
    }

    /** Two adapters; HTTP PATCHes spread over both (replays go to the other one) must all be answered 200. */
    public static FaultReport twoAdapters(int commands) {
        FaultStack.Config config = new FaultStack.Config("adapters", false, false, 3, 40, 2,
                Map.of("patchbay.api.command-wait", "30s"));
        try (FaultStack stack = FaultStack.start(config)) {
            long started = System.nanoTime();
            stack.startInProcessProcessor();
            CommandPlan.Options options = new CommandPlan.Options(commands, 0.5, 0.05, 0.15, 7);
            return run(stack, "two-adapters", options, started, RATE, 12, (driver, faults, violations) -> {
                faults.add("adapters=" + stack.adapterUrls().size());
            }, report -> report.httpAccepted202() == 0 ? Optional.empty()
                    : Optional.of("http: " + report.httpAccepted202() + " answers were 202: an outcome did not reach the adapter"
                            + " that waited for it"));
        }
    }

    /** A fault injected while the stream flows. */
    @FunctionalInterface
    interface Injection {
        void inject(StreamDriver driver, List<String> faults, List<String> violations);
    }

    private static FaultReport run(FaultStack stack, String fault, int commands, long started, Injection injection) {
        return run(stack, fault, CommandPlan.Options.defaults(commands), started, RATE, 4, injection, report -> Optional.empty());
    }

    private static FaultReport run(FaultStack stack, String fault, CommandPlan.Options options, long started, int rate,
                                   int httpConcurrency, Injection injection,
                                   java.util.function.Function<FaultReport, Optional<String>> extraCheck) {
        List<Planned> plan = CommandPlan.of(options, stack.seeded(), Long.toString(System.nanoTime(), 36));
        List<String> faults = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        FaultReport report;
        try (StreamDriver driver = stack.driver(plan, rate, httpConcurrency).start()) {
            injection.inject(driver, faults, violations);
            driver.awaitSent(DRAIN);
            StreamVerifier verifier = stack.verifier();
            verifier.awaitDrained(DRAIN);
            report = verifier.verify(fault, String.join(" ", faults), (System.nanoTime() - started) / 1_000_000, driver);
        }
        List<String> more = new ArrayList<>(violations);
        extraCheck.apply(report).ifPresent(more::add);
        FaultReport complete = report.withViolations(more);
        System.out.println(complete.summary());
        return complete;
    }

    /**
     * The outage lasts {@link #OUTAGE} from its start while the stream keeps coming (producers block or buffer,
     * HTTP clients retry). This is the fault's length, not a wait for the system: nothing is synchronised on it.
     */
    private static void holdOutage(long startedNanos) {
        Poll.until("the outage has lasted " + OUTAGE, OUTAGE.plusSeconds(5), Duration.ofMillis(100),
                () -> System.nanoTime() - startedNanos >= OUTAGE.toNanos());
    }

    private static void awaitDispatched(StreamDriver driver, int count) {
        Poll.until(count + " commands dispatched", DRAIN, () -> driver.dispatched() >= count);
    }

    /** Waits until the processor's and every adapter's health answer {@code status}; a timeout is a violation. */
    private static void awaitHealth(String when, int status, AppProcess processor, FaultStack stack, List<String> violations) {
        List<Supplier<Optional<Integer>>> probes = new ArrayList<>();
        probes.add(processor::healthStatus);
        stack.adapterUrls().forEach(url -> probes.add(() -> AppProcess.Health.status(url + "/actuator/health")));
        try {
            Poll.until("every health endpoint answers " + status + " (" + when + ")", Duration.ofSeconds(60),
                    Duration.ofMillis(200), () -> probes.stream().allMatch(p -> p.get().filter(s -> s == status).isPresent()));
        } catch (AssertionError e) {
            violations.add("health: " + e.getMessage());
        }
    }

    /** Waits until every commands partition's committed offset has moved past where it was: all members consume. */
    private static void awaitEveryPartitionCommits(FaultStack stack, List<String> violations) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, Long> before = committed(admin, stack);
            Poll.until("every commands partition commits progress with two members", START, Duration.ofMillis(200), () -> {
                Map<org.apache.kafka.common.TopicPartition, Long> now = committed(admin, stack);
                return now.size() >= before.size() && now.entrySet().stream()
                        .allMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), -1L));
            });
        } catch (AssertionError e) {
            violations.add("rebalance: " + e.getMessage());
        }
    }

    private static Map<org.apache.kafka.common.TopicPartition, Long> committed(Admin admin, FaultStack stack) {
        try {
            Map<org.apache.kafka.common.TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(stack.processorGroup()).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> {
                        if (offset != null && partition.topic().endsWith(".commands")) {
                            offsets.put(partition, offset.offset());
                        }
                    });
            return offsets;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static void awaitMembers(FaultStack stack, int members, List<String> violations) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            Poll.until("the processor group has " + members + " member(s)", START, Duration.ofMillis(200), () -> {
                var group = processorGroup(admin, stack);
                return group != null && group.members().size() == members && group.groupState() == GroupState.STABLE;
            });
        } catch (AssertionError e) {
            violations.add("rebalance: " + e.getMessage());
        }
    }

    /** The stack's processor group as the broker describes it now, or null when the broker does not answer. */
    static org.apache.kafka.clients.admin.ConsumerGroupDescription processorGroup(Admin admin, FaultStack stack) {
        try {
            return admin.describeConsumerGroups(List.of(stack.processorGroup())).all().get().get(stack.processorGroup());
        } catch (Exception e) {
            return null;
        }
    }
}
