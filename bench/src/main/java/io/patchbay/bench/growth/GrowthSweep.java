package io.patchbay.bench.growth;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import io.patchbay.bench.AppProcess;
import io.patchbay.bench.Apps;
import io.patchbay.bench.Bench;
import io.patchbay.bench.BenchData;
import io.patchbay.bench.BenchOptions;
import io.patchbay.bench.CommandGenerator;
import io.patchbay.bench.CpuMeter;
import io.patchbay.bench.Databases;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.bench.Progress;
import io.patchbay.bench.Results;
import io.patchbay.bench.load.LatencyLadders;
import io.patchbay.devstack.infra.EmbeddedInfrastructure;
import io.patchbay.schemas.Topics;

/**
 * How the processor's throughput, latency and memory change with one thing at a time: table size, the share of
 * traffic on hot rows, patch size, batch size, partitions and processor instances (each its own JVM, one
 * consumer group). Every point starts the processors on empty topics and waits until the group is stable, then
 * produces its commands and measures from the end of that preload to the last outcome (so that start-up and
 * rebalancing are outside the window, for one instance as for three), then the latency at half that rate.
 */
public final class GrowthSweep {

    public static final List<String> DIMENSIONS = List.of("table-size", "skew", "patch-size", "batch-size", "partitions",
            "instances");

    /**
     * Dimensions run only when named ({@code --growth join}): {@code join} is no variation of the default setting but
     * a second processor joining and leaving during the latency step ({@link JoinUnderLoad}), under Kafka's default
     * assignor list, the eager sticky assignor and the processor's own.
     */
    public static final List<String> ON_REQUEST = List.of("join");

    /**
     * The latency steps' length when {@code join} is swept and {@code --latency-seconds} is not given: the second
     * processor's start (from an executable jar, 7-10 s on two cores), the join, {@link JoinUnderLoad#HOLD} and the
     * leave must all fall inside the measured step.
     */
    public static final double JOIN_LATENCY_SECONDS = 40;

    /**
     * The {@code join} dimension's assignors: Kafka's default list (range first: eager, each topic's extra partition to
     * the same member), the eager sticky one (balanced over both topics, every partition revoked at each rebalance) and
     * the processor's own default, cooperative-sticky (balanced, only the partitions that move are revoked).
     */
    static final Map<String, String> ASSIGNORS = Map.of(
            "range", "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
            "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

    /**
     * One point: a dimension's value and the full setting it stands for. The default setting appears in every
     * dimension; it is measured once and its point repeated.
     */
    record Setting(String dimension, String value, int resources, CommandGenerator.Mix mix, int batch, int partitions,
                   int instances, String assignor) {

        List<Object> key() {
            return List.of(resources, mix, batch, partitions, instances, assignor);
        }

        /** Whether a second processor joins and leaves during the latency step. */
        boolean joins() {
            return !assignor.isEmpty();
        }
    }

    private final BenchOptions options;
    private final PrintStream out;

    public GrowthSweep(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The points of {@code dimensions}; each dimension varies from the default setting (10,000 rows, mix, 500, 3, 1). */
    static List<Setting> settings(List<String> dimensions, int resources, boolean smoke) {
        CommandGenerator.Mix mix = CommandGenerator.Mix.DEFAULT;
        Setting base = new Setting("", "", resources, mix, 500, 3, 1, "");
        List<Setting> settings = new ArrayList<>();
        for (String dimension : dimensions) {
            switch (dimension) {
                case "table-size" -> {
                    for (int rows : smoke ? List.of(resources, 4 * resources) : List.of(10_000, 100_000, 300_000, 1_000_000)) {
                        settings.add(with(base, dimension, String.format(Locale.ROOT, "%,d rows", rows), rows, mix, 500, 3, 1));
                    }
                }
                case "skew" -> {
                    settings.add(with(base, dimension, "uniform", resources, mix.withSkew(0, 1), 500, 3, 1));
                    settings.add(with(base, dimension, "50% on 20%", resources, mix, 500, 3, 1));
                    if (!smoke) {
                        settings.add(with(base, dimension, "90% on 10%", resources, mix.withSkew(0.9, 0.1), 500, 3, 1));
                    }
                    settings.add(with(base, dimension, "90% on 1%", resources, mix.withSkew(0.9, 0.01), 500, 3, 1));
                }
                case "patch-size" -> {
                    settings.add(with(base, dimension, "1 field", resources, mix.withFieldsPerPatch(1), 500, 3, 1));
                    settings.add(with(base, dimension, "1-3 fields", resources, mix, 500, 3, 1));
                    settings.add(with(base, dimension, "5 fields", resources, mix.withFieldsPerPatch(5), 500, 3, 1));
                    if (!smoke) {
                        settings.add(with(base, dimension, "10 fields", resources, mix.withFieldsPerPatch(10), 500, 3, 1));
                    }
                }
                case "batch-size" -> {
                    for (int batch : smoke ? List.of(100, 500) : List.of(100, 500, 2000)) {
                        settings.add(with(base, dimension, Integer.toString(batch), resources, mix, batch, 3, 1));
                    }
                }
                case "partitions" -> {
                    for (int partitions : smoke ? List.of(3, 6) : List.of(3, 6, 12)) {
                        settings.add(with(base, dimension, Integer.toString(partitions), resources, mix, 500, partitions, 1));
                    }
                }
                case "instances" -> {
                    for (int instances : smoke ? List.of(1, 2) : List.of(1, 2, 3)) {
                        settings.add(with(base, dimension, Integer.toString(instances), resources, mix, 500, 3, instances));
                    }
                }
                case "join" -> {
                    for (String assignor : List.of("range", "sticky", "cooperative-sticky")) {
                        settings.add(new Setting(dimension, assignor, resources, mix, 500, 3, 1, assignor));
                    }
                }
                default -> throw new IllegalArgumentException("unknown growth dimension " + dimension);
            }
        }
        return settings;
    }

    private static Setting with(Setting base, String dimension, String value, int resources, CommandGenerator.Mix mix,
                                int batch, int partitions, int instances) {
        return new Setting(dimension, value, resources, mix, batch, partitions, instances, "");
    }

    public Results.GrowthRun run() {
        Instant startedAt = Instant.now();
        String loadAtStart = io.patchbay.bench.Machine.loadAverage();
        long t0 = System.nanoTime();
        Path logs = options.out().toAbsolutePath().getParent().resolve("bench-logs");
        List<Setting> settings = settings(options.growth(), options.resources(), options.smoke());
        out.printf(Locale.ROOT, "patchbay growth sweep: %d points of %,d commands; load average %s; logs in %s%n",
                settings.size(), options.growthCommands(), loadAtStart, logs);
        List<Results.GrowthPoint> points = new ArrayList<>();
        try (Progress progress = new Progress(out);
             EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(new EmbeddedInfrastructure.Options(0, 0, null, logs))) {
            Apps apps = new Apps(options, infrastructure.kafka().bootstrapServers(), infrastructure.registry().url(), logs);
            Map<Integer, Databases> templates = new HashMap<>();
            Map<List<Object>, Results.GrowthPoint> measured = new HashMap<>();
            for (int i = 0; i < settings.size(); i++) {
                Setting setting = settings.get(i);
                Results.GrowthPoint same = measured.get(setting.key());
                if (same != null) {
                    points.add(same.as(setting.dimension(), setting.value()));
                    continue;
                }
                Databases databases = templates.computeIfAbsent(setting.resources(), rows -> {
                    progress.phase(String.format(Locale.ROOT, "seeding %,d resources", rows), 0, () -> 0);
                    Databases d = new Databases(infrastructure.postgres(), "bench_template_" + rows);
                    d.createTemplate(new BenchData(rows));
                    return d;
                });
                Results.GrowthPoint point = point(i, setting, databases, infrastructure, apps, logs, progress);
                measured.put(setting.key(), point);
                points.add(point);
                progress.note(String.format(Locale.ROOT, "%s = %s: %,.0f commands/s, p99 %.1f ms at %.0f/s, RSS %,d MB",
                        setting.dimension(), setting.value(), point.commandsPerSecond(),
                        point.latencyMillis() == null ? -1 : point.latencyMillis().p99(), point.latencyRate(),
                        point.rssMaxKb() / 1024));
            }
            progress.phase("stopping", 0, () -> 0);
        }
        Results.Machine machine = new Results.Machine(io.patchbay.bench.Machine.cpu(), Runtime.getRuntime().availableProcessors(),
                io.patchbay.bench.Machine.memoryMb(), io.patchbay.bench.Machine.os(), io.patchbay.bench.Machine.java(),
                loadAtStart, io.patchbay.bench.Machine.loadAverage());
        List<String> charts = io.patchbay.bench.chart.Charts.forGrowth(points, options.out());
        return new Results.GrowthRun(startedAt.toString(), (System.nanoTime() - t0) / 1e9, machine, options.describe(), points,
                charts);
    }

    private Results.GrowthPoint point(int index, Setting setting, Databases databases, EmbeddedInfrastructure infrastructure, Apps apps,
                                      Path logs, Progress progress) {
        String url = databases.copy("bench_growth");
        Topics topics = new Topics("bench-g" + index);
        infrastructure.kafka().createTopics(topics.all(), setting.partitions());
        String bootstrap = infrastructure.kafka().bootstrapServers();
        int postgresPort = infrastructure.postgres().port();
        String label = setting.dimension() + " = " + setting.value();
        progress.phase(label + ": starting " + setting.instances() + " processor JVM(s)", 0, () -> 0);
        Map<String, String> extra = new LinkedHashMap<>(Map.of("patchbay.processor.max-batch", Integer.toString(setting.batch()),
                "patchbay.topic-partitions", Integer.toString(setting.partitions())));
        if (setting.joins()) {
            extra.put("spring.kafka.consumer.properties.partition.assignment.strategy", ASSIGNORS.get(setting.assignor()));
        }
        List<CompletableFuture<AppProcess>> starting = new ArrayList<>();
        for (int k = 0; k < setting.instances(); k++) {
            String name = "processor-g" + index + "-" + k;
            starting.add(CompletableFuture.supplyAsync(() -> apps.startProcessor(name, url, topics, extra)));
        }
        List<AppProcess> processors = new ArrayList<>();
        try {
            for (CompletableFuture<AppProcess> s : starting) {
                processors.add(s.join());
            }
            awaitStableGroup(bootstrap, topics.prefix() + "-processor", setting.instances(), progress);
            List<CommandGenerator.Generated> commands = new CommandGenerator(new BenchData(setting.resources()), 42,
                    setting.mix(), 0).next(options.growthCommands());
            try (ProcessorBench.ResultCounter counter = new ProcessorBench.ResultCounter(bootstrap, topics.commandResults())) {
                new ProcessorBench(bootstrap, infrastructure.registry().url()).preload(topics, commands, progress);
                long windowStart = System.currentTimeMillis();
                double cpuStart = cpu(processors);
                double dbStart = CpuMeter.postgresSeconds(postgresPort);
                long expected = commands.size();
                progress.phase(label + ": draining", expected, counter::count);
                long rss = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + expected / 200);
                while (counter.count() < expected && System.nanoTime() < deadline) {
                    ProcessorBench.sleep(250);
                    for (AppProcess p : processors) {
                        rss = Math.max(rss, p.rssKb());
                    }
                }
                if (counter.count() < expected) {
                    throw new IllegalStateException("the processors published " + counter.count() + " of " + expected
                            + " outcomes before the deadline; see " + logs);
                }
                double cpu = cpu(processors) - cpuStart;
                double db = CpuMeter.postgresSeconds(postgresPort) - dbStart;
                long measured = counter.countAfter(windowStart);
                if (measured == 0) {
                    throw new IllegalStateException("the processors kept up with the preload of " + expected
                            + " commands, so nothing was left to measure after it; raise --growth-commands");
                }
                double seconds = Math.max(0.001, (counter.lastTimestamp() - windowStart) / 1000.0);
                double rate = measured / seconds;
                Results.Verification verification = databases.verify(url, expected);
                Results.Statuses statuses = Databases.statuses(url);
                double fraction = setting.joins() ? JoinUnderLoad.FRACTION : 0.5;
                CompletableFuture<JoinUnderLoad.Times> joining = !setting.joins() ? null : CompletableFuture.supplyAsync(
                        () -> JoinUnderLoad.joinAndLeave(apps, "processor-g" + index + "-joining", url, topics, extra,
                                counter::count, expected + Math.round(rate * fraction * (options.latencySeconds() + 1)), bootstrap));
                Results.LatencyLadder latency = LatencyLadders.run(Bench.PROCESSOR, rate, List.of(fraction), options, databases,
                        generatorSettings(bootstrap, infrastructure.registry().url(), topics, setting, expected), logs, progress);
                Results.SteadyLatency at = latency.steps().isEmpty() ? null : latency.steps().get(0);
                Results.Rebalance rebalance = joining == null ? null : JoinUnderLoad.measure(
                        ASSIGNORS.get(setting.assignor()), joining.join(), LatencyLadders.timeline(logs, Bench.PROCESSOR));
                return new Results.GrowthPoint(setting.dimension(), setting.value(), setting.resources(),
                        setting.mix().hotShare(), setting.mix().hotFraction(), setting.mix().fieldsPerPatch(), setting.batch(),
                        setting.partitions(), setting.instances(), expected, measured, seconds, rate,
                        statuses, verification.consistent(), Results.CpuPerCommand.of(cpuStart < 0 ? -1 : cpu,
                        "the processor JVMs", dbStart < 0 ? -1 : db, measured), at == null ? 0 : at.offeredRate(),
                        at == null ? null : at.latencyMillis(), rss, rebalance);
            }
        } finally {
            processors.forEach(AppProcess::close);
            starting.forEach(s -> s.thenAccept(AppProcess::close));
        }
    }

    private static Map<String, String> generatorSettings(String bootstrap, String registry, Topics topics, Setting setting,
                                                         long firstSequence) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("mode", "commands");
        source.put("bootstrap", bootstrap);
        source.put("registry", registry);
        source.put("topic-prefix", topics.prefix());
        source.put("resources", Integer.toString(setting.resources()));
        source.put("hot-share", Double.toString(setting.mix().hotShare()));
        source.put("hot-fraction", Double.toString(setting.mix().hotFraction()));
        source.put("fields", Integer.toString(setting.mix().fieldsPerPatch()));
        source.put("first-sequence", Long.toString(firstSequence));
        return source;
    }

    private static double cpu(List<AppProcess> processors) {
        double total = 0;
        for (AppProcess p : processors) {
            double seconds = p.cpuSeconds();
            if (seconds < 0) {
                return -1;
            }
            total += seconds;
        }
        return total;
    }

    private static void awaitStableGroup(String bootstrap, String group, int members, Progress progress) {
        progress.phase("waiting for a stable consumer group of " + members, 0, () -> 0);
        stableGroup(bootstrap, group, members);
    }

    /** Waits (at most two minutes) until the group has {@code members} members, each with partitions, and is stable. */
    static void stableGroup(String bootstrap, String group, int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    if (d != null && d.groupState() == GroupState.STABLE && d.members().size() == members
                            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw new IllegalStateException("could not describe the consumer group " + group, e.getCause());
                    }
                }
                ProcessorBench.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        throw new IllegalStateException("the consumer group " + group + " did not become stable with " + members + " members");
    }
}
