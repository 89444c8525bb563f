package io.patchbay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.patchbay.bench.chart.Charts;
import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.bench.growth.GrowthSweep;
import io.patchbay.bench.load.LatencyLadders;
import io.patchbay.bench.load.LoadGenerator;
import io.patchbay.bench.peer.ConnectWorker;
import io.patchbay.bench.peer.PeerBench;
import io.patchbay.bench.relay.KafkaRelay;
import io.patchbay.devstack.infra.EmbeddedInfrastructure;
import io.patchbay.schemas.Topics;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark runner (issues 7 and 14): on devstack's infrastructure (in-process KRaft broker, embedded PostgreSQL
 * with durable commits, the schema registry child process) it measures, in one run,
 * <ol>
 *   <li>the raw database limit: the processor's database work for the preloaded commands as a JDBC batch loop;</li>
 *   <li>the processor: the same commands preloaded on Kafka, the processor JVM started, time to the last outcome;
 *       then its latency under load at rising fractions of that rate, from a load generator in its own JVM;</li>
 *   <li>a naive consumer: one transaction and one synchronous send per record, same commands;</li>
 *   <li>the peer: Debezium's JDBC sink on Kafka Connect given every change the processor applied as a full-row
 *       upsert, in each configuration, then its latency under load;</li>
 *   <li>HTTP PATCH, synchronous and {@code Prefer: respond-async}, open loop at rising rates, with both apps in
 *       their own JVMs (resident size at rest and under load);</li>
 *   <li>a direct CRUD endpoint updating PostgreSQL synchronously, same load;</li>
 * </ol>
 * and prints a summary table, ratios and targets, and writes the whole result as JSON with its charts beside it.
 * With {@code --growth} it runs the {@link GrowthSweep} instead. A new phase is a class of its own, called from
 * {@link #run} (or {@code httpPhase}), whose results go into {@link Collected} and {@link Results.Run}.
 */
public final class Bench {

    /** Names of the implementations in latency ladders and charts. */
    public static final String PROCESSOR = "patchbay processor";
    public static final String SINK = "Debezium JDBC sink";
    private static final String RELAY_TOPIC = "bench-relay-requests";
    private static final String RELAY_REPLY_TOPIC = "bench-relay-replies";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final BenchOptions options;
    private final PrintStream out;

    public Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            if (options.chartsFrom() != null) {
                System.out.println(String.join(System.lineSeparator(), redrawCharts(options.chartsFrom())));
            } else if (options.growth().isEmpty()) {
                new Bench(options, System.out).run();
            } else {
                new Bench(options, System.out).runGrowth();
            }
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    public Results.Run run() {
        String loadAtStart = Machine.loadAverage();
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        Path logs = options.out().toAbsolutePath().getParent().resolve("bench-logs");
        out.printf(Locale.ROOT, "patchbay benchmark%s: %,d commands on %,d resources; load average %s; logs in %s%n",
                options.smoke() ? " (smoke)" : "", options.commands(), options.resources(), loadAtStart, logs);
        Collected results = new Collected();
        try (Progress progress = new Progress(out)) {
            progress.phase("starting Kafka, PostgreSQL, registry", 0, () -> 0);
            try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(
                    new EmbeddedInfrastructure.Options(0, 0, null, logs))) {
                Context ctx = new Context(infrastructure, logs);
                processingPhases(ctx, results, progress);
                if (options.runs("auth")) {
                    results.authentication = authPhase(ctx, progress);
                }
                if (options.runs("http") || options.runs("crud") || options.runs("relay")) {
                    results.http.addAll(httpPhase(ctx, infrastructure, ctx.databases, ctx.data, results,
                            results.drainRss, progress));
                } else if (results.drainRss > 0) {
                    results.memory.add(new Results.Memory("processor", -1, -1, results.drainRss, options.appJvmOptions()));
                }
                progress.phase("stopping", 0, () -> 0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Results.Machine machine = new Results.Machine(Machine.cpu(), Runtime.getRuntime().availableProcessors(),
                Machine.memoryMb(), Machine.os(), Machine.java(), loadAtStart, Machine.loadAverage());
        Map<String, Double> ratios = Report.ratios(results.raw, results.drain, results.naive, results.peer, results.http);
        Results.Run partial = new Results.Run(startedAt.toString(), seconds, machine, options.describe(), results.raw,
                results.drain, results.naive, results.peer, results.latency, ratios, results.http, results.memory,
                results.idleCpu, results.twoAdapters, List.of(), List.of(), results.authentication);
        List<Results.Target> targets = Report.targets(partial, options.sloP99Millis());
        List<String> charts = Charts.forRun(partial, options.out(), options.sloP99Millis());
        Results.Run run = new Results.Run(partial.startedAt(), seconds, machine, partial.options(), results.raw, results.drain,
                results.naive, results.peer, results.latency, ratios, results.http, results.memory, results.idleCpu,
                results.twoAdapters, targets, charts, results.authentication);
        out.println();
        out.print(Report.table(run));
        write(run);
        out.println("JSON result: " + options.out());
        return run;
    }

    /** The growth sweep ({@code --growth}) instead of the phases: its table, JSON and charts. */
    public Results.GrowthRun runGrowth() {
        Results.GrowthRun run = new GrowthSweep(options, out).run();
        out.println();
        out.print(Report.growthTable(run));
        write(run);
        out.println("JSON result: " + options.out());
        return run;
    }

    /** Draws the charts of a kept JSON result (a run or a growth sweep) again, beside it; returns their names. */
    public static List<String> redrawCharts(Path json) {
        try {
            if (JSON.readTree(json.toFile()).has("points")) {
                return Charts.forGrowth(JSON.readValue(json.toFile(), Results.GrowthRun.class).points(), json);
            }
            Results.Run run = JSON.readValue(json.toFile(), Results.Run.class);
            Object slo = run.options().get("sloP99Millis");
            return Charts.forRun(run, json, slo instanceof Number n ? n.intValue() : 100);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not a benchmark result: " + json, e);
        }
    }

    /** What the phases of a run have measured so far. */
    private static final class Collected {
        Results.Throughput raw;
        Results.Drain drain;
        Results.Throughput naive;
        Results.Peer peer;
        final List<Results.LatencyLadder> latency = new ArrayList<>();
        final List<Results.HttpLadder> http = new ArrayList<>();
        final List<Results.Memory> memory = new ArrayList<>();
        final List<Results.IdleCpu> idleCpu = new ArrayList<>();
        Results.TwoAdapters twoAdapters;
        long drainRss = -1;
        WrongSecretBench.Result authentication;
    }

    /** The wrong-secret cost ({@link WrongSecretBench}) on adapters of its own, on a copy of the bench data. */
    private WrongSecretBench.Result authPhase(Context ctx, Progress progress) {
        String url = ctx.databases.copy("bench_auth");
        Topics topics = new Topics("bench-auth");
        return new WrongSecretBench(options.smoke()).run(ctx.data, url, options.adapterJar().toString(), (name, settings) -> {
            int port = FreePorts.find();
            return new WrongSecretBench.Running(ctx.apps.startAdapter(name, url, topics, port, settings), port);
        }, progress);
    }

    /**
     * The processing phases on the same preloaded commands: the raw database limit and the naive consumer in two
     * halves around the processor's drain (so that all three see the machine in the same state on average: it is
     * shared, and its load changes by the minute), the processor's latency ladder, then the Debezium sink fed what
     * the processor applied.
     */
    private void processingPhases(Context ctx, Collected results, Progress progress) {
        EmbeddedInfrastructure infrastructure = ctx.infrastructure;
        progress.phase("seeding " + options.resources() + " resources", 0, () -> 0);
        ctx.databases.createTemplate(ctx.data, options.legacyApiKeys());
        CommandGenerator generator = new CommandGenerator(ctx.data, 42);
        AtomicLong generated = new AtomicLong();
        progress.phase("generating commands", options.commands(), generated::get);
        List<CommandGenerator.Generated> commands = new ArrayList<>(options.commands());
        for (int i = 0; i < options.commands(); i++) {
            commands.add(generator.next());
            generated.incrementAndGet();
        }
        Topics drainTopics = new Topics("bench-drain");
        infrastructure.kafka().createTopics(drainTopics.all(), 3);
        ProcessorBench processorBench = new ProcessorBench(ctx.bootstrap, ctx.registry);

        int port = infrastructure.postgres().port();
        int batch = processorBatchSize();
        int half = commands.size() / 2;
        Databases databases = ctx.databases;
        RawDatabaseLoop rawLoop = options.runs("raw") ? new RawDatabaseLoop(new Topics("bench-raw"), ctx.registry) : null;
        String rawUrl = rawLoop == null ? null : databases.copy("bench_raw");
        NaiveConsumer naiveConsumer = options.runs("naive") ? new NaiveConsumer(ctx.bootstrap, ctx.registry) : null;
        String naiveUrl = naiveConsumer == null ? null : databases.copy("bench_naive");
        Topics naiveTopics = new Topics("bench-naive");
        int naiveMax = Math.min(options.naiveMaxCommands(), commands.size());
        int naiveSeconds = Math.max(1, options.naiveMaxSeconds() / 2);
        if (naiveConsumer != null) {
            infrastructure.kafka().createTopics(naiveTopics.all(), 3);
        }

        if (rawLoop != null) {
            rawLoop.runPart(rawUrl, commands.subList(0, half), batch, progress, port);
        }
        double preloadSeconds = 0;
        if (options.runs("drain") || naiveConsumer != null) {
            preloadSeconds = processorBench.preload(drainTopics, commands, progress);
            progress.note(String.format(Locale.ROOT, "preloaded %,d commands in %.1f s", commands.size(), preloadSeconds));
        }
        if (naiveConsumer != null) {
            naiveConsumer.runPart(drainTopics, naiveTopics, naiveUrl, Math.max(1, naiveMax / 2), naiveSeconds, progress, port);
        }
        List<List<String>> processorRows = null;
        if (options.runs("drain")) {
            String url = databases.copy("bench_proc");
            AtomicReference<AppProcess> processor = new AtomicReference<>();
            try {
                results.drain = processorBench.drain(drainTopics, commands.size(), preloadSeconds,
                        () -> ctx.startProcessor("processor-drain", url, drainTopics), processor, progress, databases, url, port);
                results.drainRss = results.drain.processorRssMaxKb();
                processorRows = options.runs("peer") ? PeerBench.rows(url) : null;
                progress.note(String.format(Locale.ROOT, "processor: %,.0f commands/s (%s; consistent: %s)",
                        results.drain.commandsPerSecond(), results.drain.statuses(), results.drain.verification().consistent()));
                results.latency.add(LatencyLadders.run(PROCESSOR, results.drain.commandsPerSecond(),
                        options.latencyFractions(), options, databases, Map.of("mode", "commands",
                                "bootstrap", ctx.bootstrap, "registry", ctx.registry, "topic-prefix", drainTopics.prefix(),
                                "resources", Integer.toString(options.resources()),
                                "first-sequence", Integer.toString(commands.size())), ctx.logs, progress));
            } finally {
                if (processor.get() != null) {
                    processor.get().close();
                }
            }
        }
        if (naiveConsumer != null) {
            if (naiveMax > naiveConsumer.commandsDone()) {
                naiveConsumer.runPart(drainTopics, naiveTopics, naiveUrl, (int) (naiveMax - naiveConsumer.commandsDone()),
                        naiveSeconds, progress, port);
            }
            results.naive = naiveConsumer.result(naiveUrl, databases, naiveMax, naiveSeconds, 2);
            progress.note(String.format(Locale.ROOT, "naive consumer: %,.0f commands/s over %,d commands",
                    results.naive.commandsPerSecond(), results.naive.commands()));
        }
        if (rawLoop != null) {
            rawLoop.runPart(rawUrl, commands.subList(half, commands.size()), batch, progress, port);
            results.raw = rawLoop.result(rawUrl, databases, batch, 2);
            progress.note(String.format(Locale.ROOT, "raw database limit: %,.0f commands/s (%s)", results.raw.commandsPerSecond(),
                    results.raw.statuses()));
        }
        if (processorRows != null) {
            List<String> commandIds = commands.stream().map(CommandGenerator.Generated::commandId).toList();
            commands = null; // 200k commands are garbage from here on: less live heap, shorter pauses in this JVM
            peerPhase(ctx, results, processorRows, commandIds, progress);
        }
    }

    /**
     * Debezium's JDBC sink on Kafka Connect: one full-row record per change the processor applied, each configuration
     * on a fresh copy of the seeded tables; then the latency ladder against the configuration.
     */
    private void peerPhase(Context ctx, Collected results, List<List<String>> processorRows, List<String> commandIds,
                           Progress progress) {
        PeerBench peer = new PeerBench(ctx.bootstrap, ctx.registry, options.projectDirectory(), ctx.logs, ctx.apps::jvmOptions);
        double preloadSeconds = peer.preload(ctx.infrastructure.postgres().jdbcUrl("bench_proc"), commandIds,
                ctx.infrastructure.kafka(), progress);
        progress.note(String.format(Locale.ROOT, "preloaded %,d full rows for the sink in %.1f s", peer.records(), preloadSeconds));
        List<Results.SinkRun> runs = new ArrayList<>();
        List<PeerBench.Variant> variants = options.peerVariants();
        AtomicReference<ConnectWorker> worker = new AtomicReference<>();
        try {
            for (int i = 0; i < variants.size(); i++) {
                boolean last = i == variants.size() - 1;
                runs.add(peer.run(variants.get(i), ctx.databases, processorRows, ctx.infrastructure.postgres().port(),
                        progress, last, worker));
            }
            PeerBench.Variant measured = variants.get(variants.size() - 1);
            String url = ctx.infrastructure.postgres().jdbcUrl(PeerBench.database(measured));
            LoadGenerator.installRowTrigger(url);
            results.latency.add(LatencyLadders.run(SINK + " (" + measured.name() + ")", runs.get(runs.size() - 1).recordsPerSecond(),
                    options.latencyFractions(), options, ctx.databases, Map.of("mode", "rows", "bootstrap", ctx.bootstrap,
                            "jdbc-url", url), ctx.logs, progress));
        } finally {
            if (worker.get() != null) {
                worker.get().close();
            }
        }
        results.peer = new Results.Peer(peer.records(), preloadSeconds, runs);
    }

    /**
     * The HTTP phase: patchbay's apps in their own JVMs (resident size at rest, then under load) and the direct
     * CRUD server in a JVM of its own with the same JVM options (so JIT and GC count alike), and the Kafka relay
     * baseline's two JVMs ({@link KafkaRelay}), all on copies of the same data; the modes' ladders interleaved rate by
     * rate.
     */
    private List<Results.HttpLadder> httpPhase(Context ctx, EmbeddedInfrastructure infrastructure, Databases databases,
                                               BenchData data, Collected results, long drainRss, Progress progress) {
        List<Results.Memory> memory = results.memory;
        List<Results.IdleCpu> idleCpu = results.idleCpu;
        boolean apps = options.runs("http");
        Topics httpTopics = new Topics("bench-http");
        AppProcess adapter = null;
        AppProcess processor = null;
        CrudServer.Running crud = null;
        KafkaRelay relay = null;
        String httpUrl = null;
        try (HttpLoad load = new HttpLoad()) {
            if (apps) {
                String url = databases.copy("bench_http");
                httpUrl = url;
                infrastructure.kafka().createTopics(httpTopics.all(), 3);
                progress.phase("starting processor and adapter JVMs", 0, () -> 0);
                var startingProcessor = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> ctx.startProcessor("processor-http", url, httpTopics));
                try {
                    adapter = ctx.startAdapter("adapter-http", url, httpTopics);
                } finally {
                    processor = startingProcessor.join();
                }
                // The JIT compiles the start-up's code for some seconds after "Started" (3 of 5% of a core in the
                // adapter's first 10 s, 0.6 of 1.7% 45 s later): that is start-up, not rest, so it settles first.
                progress.phase("both apps settling after start (JIT)", 0, () -> 0);
                ProcessorBench.sleep(options.smoke() ? 0 : 20_000);
                progress.phase("both apps idle (resident size and CPU at rest)", 0, () -> 0);
                idleCpu.addAll(IdleCpuMeter.watch(Map.of("adapter", adapter::cpuSeconds, "processor", processor::cpuSeconds,
                        "postgresql", () -> CpuMeter.postgresSeconds(infrastructure.postgres().port())),
                        options.smoke() ? 1_000 : 10_000));
            }
            long processorRest = apps ? processor.rssKb() : -1;
            long adapterRest = apps ? adapter.rssKb() : -1;
            if (options.runs("crud")) {
                progress.phase("starting the CRUD baseline's JVM", 0, () -> 0);
                crud = CrudServer.startProcess(databases.copy("bench_crud"), ctx.apps.java(), ctx.apps.jvmOptions("crud"), 16, 64,
                        ctx.logs);
            }
            if (options.runs("relay")) {
                progress.phase("starting the Kafka relay baseline's JVMs", 0, () -> 0);
                infrastructure.kafka().createTopics(List.of(RELAY_TOPIC), 3);
                infrastructure.kafka().createTopics(List.of(RELAY_REPLY_TOPIC), 1);
                relay = KafkaRelay.start(ctx.bootstrap, databases.copy("bench_relay"), RELAY_TOPIC, RELAY_REPLY_TOPIC,
                        ctx.apps.java(), ctx.apps::jvmOptions, ctx.logs);
            }
            int postgresPort = infrastructure.postgres().port();
            AppProcess runningAdapter = adapter;
            AppProcess runningProcessor = processor;
            CrudServer.Running runningCrud = crud;
            CpuBreakdown patchbayCpu = apps ? CpuBreakdown.of().withJvm("adapter", runningAdapter.pid())
                    .withJvm("processor", runningProcessor.pid()).with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort))
                    .withInformational("broker", CpuBreakdown::brokerSeconds)
                    .withInformational("generator", CpuBreakdown::httpGeneratorSeconds) : null;
            KafkaRelay runningRelay = relay;
            CpuBreakdown relayCpu = relay != null ? CpuBreakdown.of().withJvm("relay-front", runningRelay.front().pid())
                    .withJvm("relay-applier", runningRelay.applier().pid()).with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort))
                    .withInformational("broker", CpuBreakdown::brokerSeconds)
                    .withInformational("generator", CpuBreakdown::httpGeneratorSeconds) : null;
            CpuBreakdown crudCpu = crud != null ? CpuBreakdown.of().withJvm("crud", runningCrud.process().pid())
                    .with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort))
                    .withInformational("generator", CpuBreakdown::httpGeneratorSeconds) : null;
            List<HttpLoad.Mode> modes = new ArrayList<>();
            progress.phase("priming: one request per key and resource type", 0, () -> 0);
            if (apps) {
                String base = "http://127.0.0.1:" + ctx.adapterPort;
                load.prime(base, data, false);
                load.prime(base, data, true);
                modes.add(new HttpLoad.Mode("sync", "PATCH, waits for the outcome (200)",
                        HttpLoad.patches(base, data, false, 1, "sync"), patchbayCpu));
            }
            if (relay != null) {
                load.prime(relay.baseUrl(), data, false);
                load.prime(relay.baseUrl(), data, true);
                modes.add(new HttpLoad.Mode("relay-sync", "Kafka relay baseline, waits for the applier's reply (200)",
                        HttpLoad.patches(relay.baseUrl(), data, false, 4, "relay-sync"), relayCpu));
            }
            if (crud != null) {
                load.prime(crud.baseUrl(), data, false);
                modes.add(new HttpLoad.Mode("crud", "direct CRUD baseline: one UPDATE ... RETURNING, autocommit (200)",
                        HttpLoad.patches(crud.baseUrl(), data, false, 3, "crud"), crudCpu));
            }
            if (apps) {
                modes.add(new HttpLoad.Mode("async", "PATCH with Prefer: respond-async (202 once the command is on Kafka)",
                        HttpLoad.patches("http://127.0.0.1:" + ctx.adapterPort, data, true, 2, "async"), patchbayCpu));
            }
            if (relay != null) {
                modes.add(new HttpLoad.Mode("relay-async", "Kafka relay baseline with Prefer: respond-async (202 once acknowledged)",
                        HttpLoad.patches(relay.baseUrl(), data, true, 5, "relay-async"), relayCpu));
            }
            Runnable drainQueues = () -> {
                if (apps) {
                    awaitCaughtUp(ctx.bootstrap, httpTopics.prefix() + "-processor", progress);
                }
                if (runningRelay != null) {
                    awaitCaughtUp(ctx.bootstrap, KafkaRelay.APPLIER_GROUP, progress);
                }
            };
            List<Results.HttpLadder> ladders;
            if (apps) {
                try (RssSampler sampler = new RssSampler(processor, adapter)) {
                    ladders = load.ladders(modes, options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                            options.httpWarmupRate(), options.sloP99Millis(), progress, drainQueues);
                    memory.add(new Results.Memory("processor", processorRest, sampler.max(0), drainRss, options.appJvmOptions()));
                    memory.add(new Results.Memory("adapter", adapterRest, sampler.max(1), -1, options.appJvmOptions()));
                }
                try {
                    results.twoAdapters = new TwoAdapterStep().run(load, ctx.apps, httpUrl, httpTopics, data, adapter,
                            ctx.adapterPort, CpuBreakdown.of().with("processor", runningProcessor::cpuSeconds)
                                    .with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort))
                                    .withInformational("broker", CpuBreakdown::brokerSeconds),
                            twoAdapterRate(ladders), options.httpStepSeconds(), options.sloP99Millis(), progress, drainQueues);
                } catch (IllegalStateException e) {
                    progress.note("two-adapter step not measured (the ladders' results are kept): " + e.getMessage());
                }
            } else {
                ladders = load.ladders(modes, options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                        options.httpWarmupRate(), options.sloP99Millis(), progress, drainQueues);
                if (drainRss > 0) {
                    memory.add(new Results.Memory("processor", -1, -1, drainRss, options.appJvmOptions()));
                }
            }
            return ladders;
        } finally {
            if (crud != null) {
                crud.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (adapter != null) {
                adapter.close();
            }
            if (processor != null) {
                processor.close();
            }
        }
    }

    /**
     * The rate of the two-adapter step: the highest one adapter's synchronous PATCH sustained (within the latency
     * bound), else the highest it kept up with, so that the step shows whether two instances do at least as well with
     * each reading only its own outcomes. (A rate merely kept up with can be seconds over the bound, where two
     * adapters on the same cores only fall further behind.)
     */
    private int twoAdapterRate(List<Results.HttpLadder> ladders) {
        List<Results.HttpStep> sync = ladders.stream().filter(l -> l.mode().equals("sync")).flatMap(l -> l.steps().stream()).toList();
        return sync.stream().filter(Results.HttpStep::sustainable).mapToInt(Results.HttpStep::offeredRate).max()
                .orElse(sync.stream().filter(Results.HttpStep::keptUp).mapToInt(Results.HttpStep::offeredRate).max()
                        .orElse(options.httpRates().get(0)));
    }

    /** The processor's batch size: as overridden for this run, else its default from its own properties. */
    private int processorBatchSize() {
        String overridden = options.processorArgs().get("patchbay.processor.max-batch");
        if (overridden != null) {
            return Integer.parseInt(overridden);
        }
        java.util.Properties defaults = new java.util.Properties();
        try (var in = Bench.class.getClassLoader().getResourceAsStream("patchbay-processor.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(defaults.getProperty("patchbay.processor.max-batch", "500"));
    }

    private void write(Object run) {
        try {
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), JSON.writeValueAsString(run));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + options.out(), e);
        }
    }

    /** Waits (at most a minute) until consumer group {@code group} has committed every record of its topics. */
    private static void awaitCaughtUp(String bootstrap, String group, Progress progress) {
        AtomicLong lag = new AtomicLong(-1);
        progress.phase("waiting for " + group + " to catch up", 0, lag::get, () -> "lag " + lag.get());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                long total = 0;
                for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    total += e.getValue().offset() - (c == null ? 0 : c.offset());
                }
                lag.set(total);
                if (total == 0) {
                    return;
                }
                ProcessorBench.sleep(250);
            }
        } catch (Exception e) {
            progress.note("could not read the lag of " + group + ": " + e);
        }
    }

    /** Samples the resident size of the apps every 250 ms and keeps the maximum of each. */
    private static final class RssSampler implements AutoCloseable {
        private final AppProcess[] apps;
        private final long[] max;
        private final Thread thread;
        private volatile boolean running = true;

        RssSampler(AppProcess... apps) {
            this.apps = apps;
            this.max = new long[apps.length];
            thread = new Thread(() -> {
                while (running) {
                    for (int i = 0; i < apps.length; i++) {
                        long rss = apps[i].rssKb();
                        synchronized (max) {
                            max[i] = Math.max(max[i], rss);
                        }
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long max(int i) {
            synchronized (max) {
                return max[i];
            }
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }

    /** Where the apps under test connect, and how they are launched. */
    private final class Context {
        final EmbeddedInfrastructure infrastructure;
        final String bootstrap;
        final String registry;
        final Path logs;
        final BenchData data;
        final Databases databases;
        final Apps apps;
        int adapterPort;

        Context(EmbeddedInfrastructure infrastructure, Path logs) {
            this.infrastructure = infrastructure;
            this.bootstrap = infrastructure.kafka().bootstrapServers();
            this.registry = infrastructure.registry().url();
            this.logs = logs;
            this.data = new BenchData(options.resources());
            this.databases = new Databases(infrastructure.postgres());
            this.apps = new Apps(options, bootstrap, registry, logs);
        }

        AppProcess startProcessor(String name, String jdbcUrl, Topics topics) {
            return apps.startProcessor(name, jdbcUrl, topics, Map.of());
        }

        AppProcess startAdapter(String name, String jdbcUrl, Topics topics) {
            Apps.Adapter adapter = apps.startAdapter(name, jdbcUrl, topics);
            adapterPort = adapter.port();
            return adapter.process();
        }
    }
}
