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

                if (options.runs("raw")) {
                    String url = databases.copy("bench_raw");
                    int batch = Integer.parseInt(options.processorArgs().getOrDefault("patchbay.processor.max-batch", "500"));
                    raw = new RawDatabaseLoop(new Topics("bench-raw"), ctx.registry).run(url, commands, batch, progress, databases,
                            infrastructure.postgres().port());
                    progress.note(String.format(Locale.ROOT, "raw database limit: %,.0f commands/s (%s)", raw.commandsPerSecond(),
                            raw.statuses()));
                }
                double preloadSeconds = 0;
                if (options.runs("drain") || options.runs("naive")) {
                    preloadSeconds = processorBench.preload(drainTopics, commands, progress);
                    progress.note(String.format(Locale.ROOT, "preloaded %,d commands in %.1f s", commands.size(), preloadSeconds));
                }
                long drainRss = -1;
                if (options.runs("drain")) {
                    String url = databases.copy("bench_proc");
                    AtomicReference<AppProcess> processor = new AtomicReference<>();
                    try {
                        drain = processorBench.drain(drainTopics, commands.size(), preloadSeconds,
                                () -> ctx.startProcessor("processor-drain", url, drainTopics), processor, progress, databases, url,
                                infrastructure.postgres().port());
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
                if (options.runs("naive")) {
                    String url = databases.copy("bench_naive");
                    Topics naiveTopics = new Topics("bench-naive");
                    infrastructure.kafka().createTopics(naiveTopics.all(), 3);
                    naive = new NaiveConsumer(ctx.bootstrap, ctx.registry).run(drainTopics, naiveTopics, url,
                            Math.min(options.naiveMaxCommands(), commands.size()), options.naiveMaxSeconds(), progress, databases,
                            infrastructure.postgres().port());
                    progress.note(String.format(Locale.ROOT, "naive consumer: %,.0f commands/s over %,d commands",
                            naive.commandsPerSecond(), naive.commands()));
                }
                if (options.runs("http")) {
                    String url = databases.copy("bench_http");
                    Topics httpTopics = new Topics("bench-http");
                    infrastructure.kafka().createTopics(httpTopics.all(), 3);
                    progress.phase("starting processor and adapter JVMs", 0, () -> 0);
                    var startingProcessor = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> ctx.startProcessor("processor-http", url, httpTopics));
                    AppProcess startedAdapter;
                    try {
                        startedAdapter = ctx.startAdapter("adapter-http", url, httpTopics);
                    } catch (RuntimeException e) {
                        startingProcessor.thenAccept(AppProcess::close);
                        throw e;
                    }
                    try (AppProcess adapter = startedAdapter; AppProcess processor = startingProcessor.join();
                         HttpLoad load = new HttpLoad()) {
                        progress.phase("both apps idle (resident size at rest)", 0, () -> 0);
                        ProcessorBench.sleep(options.smoke() ? 1_000 : 5_000);
                        long processorRest = processor.rssKb();
                        long adapterRest = adapter.rssKb();
                        try (RssSampler sampler = new RssSampler(processor, adapter)) {
                            String base = "http://127.0.0.1:" + ctx.adapterPort;
                            progress.phase("priming: one request per key and resource type", 0, () -> 0);
                            load.prime(base, data, false);
                            load.prime(base, data, true);
                            http.add(load.ladder("sync", "PATCH, waits for the outcome (200)", options.httpRates(),
                                    options.httpStepSeconds(), options.httpWarmupSeconds(), options.sloP99Millis(),
                                    HttpLoad.patches(base, data, false, 1, "sync"), progress));
                            http.add(load.ladder("async", "PATCH with Prefer: respond-async (202 once on Kafka)",
                                    options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                                    options.sloP99Millis(), HttpLoad.patches(base, data, true, 2, "async"), progress));
                            awaitCaughtUp(ctx.bootstrap, httpTopics.prefix() + "-processor", progress);
                            memory.add(new Results.Memory("processor", processorRest, sampler.max(0), drainRss,
                                    options.appJvmOptions()));
                            memory.add(new Results.Memory("adapter", adapterRest, sampler.max(1), -1, options.appJvmOptions()));
                        }
                    }
                } else if (drainRss > 0) {
                    memory.add(new Results.Memory("processor", -1, -1, drainRss, options.appJvmOptions()));
                }
                if (options.runs("crud")) {
                    String url = databases.copy("bench_crud");
                    try (CrudServer crud = new CrudServer(url, data, 16, 64); HttpLoad load = new HttpLoad()) {
                        load.prime(crud.baseUrl(), data, false);
                        http.add(load.ladder("crud", "direct CRUD baseline: UPDATE ... RETURNING, autocommit (200)",
                                options.httpRates(), options.httpStepSeconds(), options.httpWarmupSeconds(),
                                options.sloP99Millis(), HttpLoad.patches(crud.baseUrl(), data, false, 3, "crud"), progress));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                progress.phase("stopping", 0, () -> 0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Results.Machine machine = new Results.Machine(Machine.cpu(), Runtime.getRuntime().availableProcessors(),
                Machine.memoryMb(), Machine.os(), Machine.java(), loadAtStart, Machine.loadAverage());
        Map<String, Double> ratios = Report.ratios(raw, drain, naive, http);
        Results.Run run = new Results.Run(startedAt.toString(), seconds, machine, options.describe(), raw, drain, latency,
                naive, ratios, http, memory, Report.targets(drain, raw, naive, http, ratios));
        out.println();
        out.print(Report.table(run));
        write(run);
        out.println("JSON result: " + options.out());
        return run;
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
