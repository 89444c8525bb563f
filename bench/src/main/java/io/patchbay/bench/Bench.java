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

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.Infrastructure;
import io.patchbay.schemas.Topics;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark runner (issue 7): on devstack's infrastructure (in-process KRaft broker, embedded PostgreSQL
 * with {@code synchronous_commit=on}, the schema registry child process) it measures, in one run,
 * <ol>
 *   <li>the raw database limit: the processor's database work for the preloaded commands as a JDBC batch loop;</li>
 *   <li>the processor: the same commands preloaded on Kafka, the processor JVM started, time to the last outcome;
 *       then end-to-end latency at half that rate;</li>
 *   <li>a naive consumer: one transaction and one synchronous send per record, same commands;</li>
 *   <li>HTTP PATCH, synchronous and {@code Prefer: respond-async}, open loop at rising rates, with both apps in
 *       their own JVMs (resident size at rest and under load);</li>
 *   <li>a direct CRUD endpoint updating PostgreSQL synchronously, same load;</li>
 * </ol>
 * and prints a summary table, ratios and targets, and writes the whole result as JSON.
 */
public final class Bench {

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
            new Bench(options, System.out).run();
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
        Results.Throughput raw = null;
        Results.Drain drain = null;
        Results.SteadyLatency latency = null;
        Results.Throughput naive = null;
        List<Results.HttpLadder> http = new ArrayList<>();
        List<Results.Memory> memory = new ArrayList<>();
        List<Results.IdleCpu> idleCpu = new ArrayList<>();
        try (Progress progress = new Progress(out)) {
            progress.phase("starting Kafka, PostgreSQL, registry", 0, () -> 0);
            try (Infrastructure infrastructure = Infrastructure.start(new Infrastructure.Options(0, 0, null, logs))) {
                Context ctx = new Context(infrastructure, logs);
                BenchData data = new BenchData(options.resources());
                Databases databases = new Databases(infrastructure.postgres());
                progress.phase("seeding " + options.resources() + " resources", 0, () -> 0);
                databases.createTemplate(data);
                CommandGenerator generator = new CommandGenerator(data, 42);
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

                // The baselines run in two halves around the processor drain, so that all three see the machine in
                // the same state on average (it is shared, and its load changes by the minute).
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
                long drainRss = -1;
                if (options.runs("drain")) {
                    String url = databases.copy("bench_proc");
                    AtomicReference<AppProcess> processor = new AtomicReference<>();
                    try {
                        drain = processorBench.drain(drainTopics, commands.size(), preloadSeconds,
                                () -> ctx.startProcessor("processor-drain", url, drainTopics), processor, progress, databases, url,
                                port);
                        drainRss = drain.processorRssMaxKb();
                        progress.note(String.format(Locale.ROOT, "processor: %,.0f commands/s (%s; consistent: %s)",
                                drain.commandsPerSecond(), drain.statuses(), drain.verification().consistent()));
                        double rate = options.latencyRate() > 0 ? options.latencyRate()
                                : Math.max(10, Math.round(drain.commandsPerSecond() / 2 / 10) * 10.0);
                        latency = processorBench.steadyLatency(drainTopics, generator, rate, options.latencySeconds(), progress);
                        progress.note(String.format(Locale.ROOT, "processor latency at %.0f/s: p50 %.1f ms, p99 %.1f ms",
                                rate, latency.latencyMillis().p50(), latency.latencyMillis().p99()));
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
                    naive = naiveConsumer.result(naiveUrl, databases, naiveMax, naiveSeconds, 2);
                    progress.note(String.format(Locale.ROOT, "naive consumer: %,.0f commands/s over %,d commands",
                            naive.commandsPerSecond(), naive.commands()));
                }
                if (rawLoop != null) {
                    rawLoop.runPart(rawUrl, commands.subList(half, commands.size()), batch, progress, port);
                    raw = rawLoop.result(rawUrl, databases, batch, 2);
                    progress.note(String.format(Locale.ROOT, "raw database limit: %,.0f commands/s (%s)", raw.commandsPerSecond(),
                            raw.statuses()));
                }
                commands = null; // 200k commands are garbage from here on: less live heap, shorter pauses in this JVM
                if (options.runs("http") || options.runs("crud")) {
                    http.addAll(httpPhase(ctx, infrastructure, databases, data, memory, idleCpu, drainRss, progress));
                } else if (drainRss > 0) {
                    memory.add(new Results.Memory("processor", -1, -1, drainRss, options.appJvmOptions()));
                }
                progress.phase("stopping", 0, () -> 0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Results.Machine machine = new Results.Machine(Machine.cpu(), Runtime.getRuntime().availableProcessors(),
                Machine.memoryMb(), Machine.os(), Machine.java(), loadAtStart, Machine.loadAverage());
        Map<String, Double> ratios = Report.ratios(raw, drain, naive, http);
        Results.Run run = new Results.Run(startedAt.toString(), seconds, machine, options.describe(), raw, drain, latency,
                naive, ratios, http, memory, idleCpu, Report.targets(drain, raw, naive, http, ratios));
        out.println();
        out.print(Report.table(run));
        write(run);
        out.println("JSON result: " + options.out());
        return run;
    }

    /**
     * The HTTP phase: patchbay's apps in their own JVMs (resident size at rest, then under load) and the direct
     * CRUD server in this one, all on copies of the same data; the three modes' ladders interleaved rate by rate.
     */
    private List<Results.HttpLadder> httpPhase(Context ctx, Infrastructure infrastructure, Databases databases,
                                               BenchData data, List<Results.Memory> memory, List<Results.IdleCpu> idleCpu,
                                               long drainRss, Progress progress) {
        boolean apps = options.runs("http");
        Topics httpTopics = new Topics("bench-http");
        AppProcess adapter = null;
        AppProcess processor = null;
        CrudServer crud = null;
        try (HttpLoad load = new HttpLoad()) {
            if (apps) {
                String url = databases.copy("bench_http");
                infrastructure.kafka().createTopics(httpTopics.all(), 3);
                progress.phase("starting processor and adapter JVMs", 0, () -> 0);
                var startingProcessor = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> ctx.startProcessor("processor-http", url, httpTopics));
                try {
                    adapter = ctx.startAdapter("adapter-http", url, httpTopics);
                } finally {
                    processor = startingProcessor.join();
                }
                progress.phase("both apps idle (resident size and CPU at rest)", 0, () -> 0);
                idleCpu.addAll(IdleCpuMeter.watch(Map.of("adapter", adapter::cpuSeconds, "processor", processor::cpuSeconds,
                        "postgresql", () -> CpuMeter.postgresSeconds(infrastructure.postgres().port())),
                        options.smoke() ? 1_000 : 10_000));
            }
            long processorRest = apps ? processor.rssKb() : -1;
            long adapterRest = apps ? adapter.rssKb() : -1;
            if (options.runs("crud")) {
                crud = new CrudServer(databases.copy("bench_crud"), data, 16, 64);
            }
            int postgresPort = infrastructure.postgres().port();
            AppProcess runningAdapter = adapter;
            AppProcess runningProcessor = processor;
            CrudServer runningCrud = crud;
            CpuBreakdown patchbayCpu = apps ? CpuBreakdown.of().with("adapter", runningAdapter::cpuSeconds)
                    .with("processor", runningProcessor::cpuSeconds).with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort))
                    .withInformational("broker", CpuBreakdown::brokerSeconds) : null;
            CpuBreakdown crudCpu = crud != null ? CpuBreakdown.of().with("crud", runningCrud::cpuSeconds)
                    .with("postgresql", () -> CpuMeter.postgresSeconds(postgresPort)) : null;
            List<HttpLoad.Mode> modes = new ArrayList<>();
            progress.phase("priming: one request per key and resource type", 0, () -> 0);
            if (apps) {
                String base = "http://127.0.0.1:" + ctx.adapterPort;
                load.prime(base, data, false);
                load.prime(base, data, true);
                modes.add(new HttpLoad.Mode("sync", "PATCH, waits for the outcome (200)",
                        HttpLoad.patches(base, data, false, 1, "sync"), patchbayCpu));
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
            Runnable drainQueues = apps ? () -> awaitCaughtUp(ctx.bootstrap, httpTopics.prefix() + "-processor", progress) : () -> { };
            List<Results.HttpLadder> ladders;
            if (apps) {
                try (RssSampler sampler = new RssSampler(processor, adapter)) {
                    ladders = load.ladders(modes, options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                            options.sloP99Millis(), progress, drainQueues);
                    memory.add(new Results.Memory("processor", processorRest, sampler.max(0), drainRss, options.appJvmOptions()));
                    memory.add(new Results.Memory("adapter", adapterRest, sampler.max(1), -1, options.appJvmOptions()));
                }
            } else {
                ladders = load.ladders(modes, options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                        options.sloP99Millis(), progress, drainQueues);
                if (drainRss > 0) {
                    memory.add(new Results.Memory("processor", -1, -1, drainRss, options.appJvmOptions()));
                }
            }
            return ladders;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (crud != null) {
                crud.close();
            }
            if (adapter != null) {
                adapter.close();
            }
            if (processor != null) {
                processor.close();
            }
        }
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

    private void write(Results.Run run) {
        try {
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), JSON.writeValueAsString(run));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + options.out(), e);
        }
    }

    /** Waits (at most a minute) until the processor has committed every command of its topics. */
    private static void awaitCaughtUp(String bootstrap, String group, Progress progress) {
        AtomicLong lag = new AtomicLong(-1);
        progress.phase("waiting for the processor to catch up", 0, lag::get, () -> "lag " + lag.get());
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
            progress.note("could not read the processor's lag: " + e);
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
        final String bootstrap;
        final String registry;
        final Path logs;
        int adapterPort;

        Context(Infrastructure infrastructure, Path logs) {
            this.bootstrap = infrastructure.kafka().bootstrapServers();
            this.registry = infrastructure.registry().url();
            this.logs = logs;
        }

        List<String> jvmOptions(String name) {
            List<String> jvm = new ArrayList<>(options.appJvmOptions());
            if (options.jfrDirectory() != null) {
                try {
                    Files.createDirectories(options.jfrDirectory());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                jvm.add("-XX:StartFlightRecording=filename=" + options.jfrDirectory().resolve(name + ".jfr")
                        + ",settings=profile,dumponexit=true");
            }
            return jvm;
        }

        private Map<String, Object> common(String jdbcUrl, Topics topics) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("spring.kafka.bootstrap-servers", bootstrap);
            settings.put("spring.datasource.url", jdbcUrl);
            settings.put("patchbay.schema-registry-url", registry);
            settings.put("patchbay.topic-prefix", topics.prefix());
            settings.put("spring.main.banner-mode", "off");
            return settings;
        }

        AppProcess startProcessor(String name, String jdbcUrl, Topics topics) {
            Map<String, Object> settings = common(jdbcUrl, topics);
            settings.put("patchbay.processor.consumer-group", topics.prefix() + "-processor");
            settings.putAll(options.processorArgs());
            return AppProcess.start(name, options.processorJar(), jvmOptions(name),
                    ProcessorBench.settings(settings), logs, "Started ProcessorApplication", Duration.ofSeconds(180));
        }

        AppProcess startAdapter(String name, String jdbcUrl, Topics topics) {
            adapterPort = FreePorts.find();
            Map<String, Object> settings = common(jdbcUrl, topics);
            settings.put("server.port", adapterPort);
            settings.put("patchbay.api.public-base-url", "http://127.0.0.1:" + adapterPort);
            settings.put("patchbay.api.idempotency-secret", "bench-only-idempotency-secret");
            settings.putAll(options.adapterArgs());
            return AppProcess.start(name, options.adapterJar(), jvmOptions(name),
                    ProcessorBench.settings(settings), logs, "Started AdapterApplication", Duration.ofSeconds(180));
        }
    }
}
