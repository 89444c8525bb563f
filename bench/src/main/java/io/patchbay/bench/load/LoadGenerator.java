package io.patchbay.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.patchbay.bench.BenchData;
import io.patchbay.bench.ChildArguments;
import io.patchbay.bench.CommandGenerator;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.bench.Results;
import io.patchbay.bench.peer.SinkRecords;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The latency load generator, run as its own JVM so that it does not share the broker's (the benchmark's) JVM:
 * at each offered rate, records are produced open loop (record {@code i} at {@code start + i / rate}, whatever
 * happened to earlier ones) for a fixed time, and each one's latency runs from its scheduled send time until its
 * effect is seen: for {@code --mode=commands} the processor's outcome on the results topic, for {@code --mode=rows}
 * the Debezium sink's commit of the row (a trigger on the sink's tables notifies {@code id:version}). An unmeasured
 * warm-up at the first rate ({@code --warmup-seconds}, default 2) comes first; each rate waits for its last answers
 * (at most {@code --drain-seconds}) before the next starts; before each step's clock starts, this JVM collects its
 * garbage ({@code --collect-between-steps}), so that its own pauses do not fall inside a step. Writes the measured
 * steps as JSON to {@code --out}, and each record's due time, send lag and latency to {@code <out>.timeline.csv}
 * ({@link Timeline}), with a summary per step (send lag, latency from the actual send, p99 of each second) on stdout.
 */
public final class LoadGenerator {

    /** The trigger's channel; see {@link #installRowTrigger}. */
    public static final String CHANNEL = "bench_sink_rows";
    /** The producer's {@code linger.ms} unless {@code --linger-ms} says otherwise: Kafka's default since 4.0. */
    public static final int DEFAULT_LINGER_MS = 5;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Options options;
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long epochNanosOffset = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
    private List<Histogram> histograms;
    private List<Histogram> untilProduced;
    private AtomicLongArray received;
    private Timeline[] timelines;

    private LoadGenerator(Options options) {
        this.options = options;
    }

    /** Arguments are {@code --key=value} ({@link Options}); see {@link LatencyLadders} for what the benchmark passes. */
    public static void main(String[] args) throws Exception {
        new LoadGenerator(ChildArguments.parse(new Options(), args)).run();
        System.exit(0);
    }

    /** The generator's options ({@link ChildArguments}); the mode's own ones are required only by that mode. */
    @Command(name = "load-generator")
    static final class Options {

        @Option(names = "--mode", defaultValue = "commands", description = "commands or rows (default: ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--rates", required = true, split = ",", description = "offered rates per second, one per step")
        double[] rates;

        @Option(names = "--fractions", required = true, split = ",", description = "each step's share of the drain rate")
        double[] fractions;

        @Option(names = "--seconds", required = true, description = "length of each step")
        double seconds;

        @Option(names = "--warmup-seconds", defaultValue = "2", description = "unmeasured warm-up (default: ${DEFAULT-VALUE})")
        double warmupSeconds;

        @Option(names = "--linger-ms", defaultValue = "" + DEFAULT_LINGER_MS,
                description = "the producer's linger.ms, Kafka's default (default: ${DEFAULT-VALUE})")
        int lingerMillis;

        @Option(names = "--drain-seconds", defaultValue = "30", description = "longest wait for a step's last answers")
        long drainSeconds;

        @Option(names = "--collect-between-steps", defaultValue = "true", arity = "1",
                description = "a full GC of this JVM before each step, outside its measured time (default: ${DEFAULT-VALUE})")
        boolean collectBetweenSteps;

        @Option(names = "--out", required = true, description = "where the measured steps go, as JSON")
        Path out;

        @Option(names = "--bootstrap", required = true, description = "Kafka brokers")
        String bootstrap;

        @Option(names = "--registry", description = "schema registry (commands)")
        String registry;

        @Option(names = "--topic-prefix", description = "patchbay's topic prefix (commands)")
        String topicPrefix;

        @Option(names = "--resources", description = "resources per type of the bench data (commands)")
        Integer resources;

        @Option(names = "--hot-share", defaultValue = "0.5", description = "share of commands to hot resources (commands)")
        double hotShare;

        @Option(names = "--hot-fraction", defaultValue = "0.2", description = "share of resources that are hot (commands)")
        double hotFraction;

        @Option(names = "--fields", defaultValue = "0", description = "fields per command, 0 for the mix's own (commands)")
        int fields;

        @Option(names = "--seed", defaultValue = "43", description = "the command generator's seed (commands)")
        long seed;

        @Option(names = "--first-sequence", defaultValue = "0", description = "first command sequence number (commands)")
        long firstSequence;

        @Option(names = "--jdbc-url", description = "the sink's database, for its notifications (rows)")
        String jdbcUrl;
    }

    private void run() throws Exception {
        double[] rates = options.rates;
        double[] fractions = options.fractions;
        double seconds = options.seconds;
        double warmup = options.warmupSeconds;
        histograms = new ArrayList<>();
        untilProduced = new ArrayList<>();
        for (int i = 0; i <= rates.length; i++) {
            histograms.add(new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(300), 3));
            untilProduced.add(new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(300), 3));
        }
        received = new AtomicLongArray(rates.length + 1);
        timelines = new Timeline[rates.length + 1];
        List<Results.SteadyLatency> steps = new ArrayList<>();
        try (Source source = "rows".equals(options.mode) ? new RowSource() : new CommandSource()) {
            Thread listener = new Thread(() -> source.listen(this::answered), "load-listener");
            listener.setDaemon(true);
            listener.start();
            System.out.println("load generator ready");
            if (warmup > 0) {
                step(source, rates.length, 0, rates[0], warmup); // unmeasured: this JVM's and the clients' warm-up
                Thread.sleep(500);
            }
            for (int step = 0; step < rates.length; step++) {
                steps.add(step(source, step, fractions[step], rates[step], seconds));
                System.out.printf("step %d: %.0f/s, p99 %.1f ms%n", step, rates[step], steps.get(step).latencyMillis().p99());
                Thread.sleep(1_000);
            }
            stopped.set(true);
            listener.join(5_000);
        }
        Path out = options.out;
        try (java.io.Writer csv = Timeline.open(out)) {
            for (Timeline t : timelines) {
                if (t != null) {
                    t.write(csv);
                }
            }
        }
        Path partial = out.resolveSibling(out.getFileName() + ".part");
        Files.writeString(partial, JSON.writeValueAsString(steps));
        Files.move(partial, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Results.SteadyLatency step(Source source, int step, double fraction, double rate, double seconds)
            throws InterruptedException {
        int count = (int) Math.max(1, Math.round(rate * seconds));
        source.prepare(count);
        if (options.collectBetweenSteps) {
            System.gc(); // the garbage of preparing, and of the step before, collected before this step's clock starts
        }
        long interval = (long) (1e9 / rate);
        Timeline timeline = new Timeline(step, count, epochNanosOffset);
        timelines[step] = timeline;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < count; i++) {
            long at = start + i * interval;
            ProcessorBench.waitUntil(at);
            int index = i;
            timeline.sent(i, at, System.nanoTime());
            source.send(i, key -> pending.put(key, new long[] {step, at, index}));
        }
        source.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds);
        while (received.get(step) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.println(timeline.summary());
        Histogram produced = untilProduced.get(step);
        return new Results.SteadyLatency(fraction, rate, count, received.get(step), elapsed,
                Results.Distribution.ofMicros(histograms.get(step)),
                produced.getTotalCount() == 0 ? null : Results.Distribution.ofMicros(produced));
    }

    /** {@code producedAtMillis}: the answer record's timestamp (epoch ms) if it has one, else -1. */
    private void answered(String key, long producedAtMillis) {
        long[] sent = pending.remove(key);
        if (sent != null) {
            long now = System.nanoTime();
            timelines[(int) sent[0]].answered((int) sent[2], now, producedAtMillis);
            histograms.get((int) sent[0]).recordValue(Math.max(0, (now - sent[1]) / 1000));
            if (producedAtMillis >= 0) {
                long scheduledMicros = (sent[1] + epochNanosOffset) / 1000;
                untilProduced.get((int) sent[0]).recordValue(Math.max(0, producedAtMillis * 1000 - scheduledMicros));
            }
            received.incrementAndGet((int) sent[0]);
        }
    }

    /** What is sent, and where its answers come from. */
    private interface Source extends AutoCloseable {
        void prepare(int count);

        /** Sends record {@code i} of the prepared ones, after telling {@code awaiting} the key its answer will carry. */
        void send(int i, Consumer<String> awaiting);

        void flush();

        /** Reports each answer's key, and its record's timestamp (epoch ms) or -1, until the generator stops. */
        void listen(ObjLongConsumer<String> answer);

        @Override
        void close();
    }

    /** Update commands for the processor; answers are the outcomes on the results topic, keyed by command id. */
    private final class CommandSource implements Source {
        private final Topics topics = new Topics(options.topicPrefix);
        private final CommandGenerator generator;
        private final KafkaProducer<String, Object> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private List<CommandGenerator.Generated> prepared = List.of();

        CommandSource() {
            CommandGenerator.Mix mix = new CommandGenerator.Mix(options.hotShare, options.hotFraction,
                    options.fields);
            generator = new CommandGenerator(new BenchData(options.resources),
                    options.seed, mix, options.firstSequence);
            ConfluentAvroSerializer<Object> serializer = ConfluentAvroSerializer.forRegistry(options.registry);
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, options.lingerMillis, ProducerConfig.CLIENT_ID_CONFIG, "bench-latency-commands"),
                    new StringSerializer(), serializer);
            consumer = resultsConsumer(topics.commandResults());
        }

        private KafkaConsumer<String, byte[]> resultsConsumer(String topic) {
            KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    options.bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            return c;
        }

        @Override
        public void prepare(int count) {
            prepared = generator.next(count);
        }

        @Override
        public void send(int i, Consumer<String> awaiting) {
            CommandGenerator.Generated c = prepared.get(i);
            awaiting.accept(c.commandId());
            producer.send(new ProducerRecord<>(topics.commands(c.type()), c.key(), c.command()));
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public void listen(ObjLongConsumer<String> answer) {
            while (!stopped.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    answer.accept(record.key(), record.timestamp());
                }
            }
        }

        @Override
        public void close() {
            producer.close();
            stopped.set(true);
        }
    }

    /**
     * Full-row upserts for the Debezium sink: each record takes a random row of the sink's tables (read at start)
     * to its next version; answers are the notifications {@code id:version} of the trigger on those tables.
     */
    private final class RowSource implements Source {
        private final KafkaProducer<String, String> producer;
        private final Connection listening;
        private final List<ObjectNode> evaluations = new ArrayList<>();
        private final List<ObjectNode> automations = new ArrayList<>();
        private final Random random = new Random(44);
        private final List<SinkRecords.SinkRecord> prepared = new ArrayList<>();
        private long sequence;

        RowSource() throws SQLException {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, options.lingerMillis,
                    ProducerConfig.CLIENT_ID_CONFIG, "bench-latency-rows"), new StringSerializer(), new StringSerializer());
            listening = DriverManager.getConnection(options.jdbcUrl);
            try (Statement s = listening.createStatement()) {
                read(s, SinkRecords.EVALUATION_TOPIC, evaluations);
                read(s, SinkRecords.AUTOMATION_TOPIC, automations);
                s.execute("listen " + CHANNEL);
            }
        }

        private void read(Statement s, String table, List<ObjectNode> rows) throws SQLException {
            try (ResultSet rs = s.executeQuery("select " + String.join(", ", SinkRecords.columns(table)) + " from " + table)) {
                while (rs.next()) {
                    rows.add(SinkRecords.payload(table, rs));
                }
            }
        }

        @Override
        public void prepare(int count) {
            prepared.clear();
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                boolean evaluation = random.nextBoolean();
                List<ObjectNode> rows = evaluation ? evaluations : automations;
                prepared.add(SinkRecords.nextVersion(evaluation ? SinkRecords.EVALUATION_TOPIC : SinkRecords.AUTOMATION_TOPIC,
                        rows.get(random.nextInt(rows.size())), "latency run " + (++sequence), now));
            }
        }

        @Override
        public void send(int i, Consumer<String> awaiting) {
            SinkRecords.SinkRecord r = prepared.get(i);
            awaiting.accept(r.id() + ":" + r.version());
            producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()));
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public void listen(ObjLongConsumer<String> answer) {
            try {
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (!stopped.get()) {
                    PGNotification[] notifications = pg.getNotifications(20);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            answer.accept(n.getParameter(), -1);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("lost the sink's notifications", e);
            }
        }

        @Override
        public void close() {
            producer.close();
            stopped.set(true);
        }
    }

    /**
     * Adds to the sink's tables the trigger whose notifications {@link RowSource} waits for: after each row
     * written, {@code pg_notify(CHANNEL, id || ':' || version)}, delivered when the sink's transaction commits.
     */
    public static void installRowTrigger(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("create or replace function bench_notify_row() returns trigger language plpgsql as $$"
                    + " begin perform pg_notify('" + CHANNEL + "', new.id || ':' || new.version); return null; end $$");
            for (String table : List.of(SinkRecords.EVALUATION_TOPIC, SinkRecords.AUTOMATION_TOPIC)) {
                s.execute("create or replace trigger bench_notify_row after insert or update on " + table
                        + " for each row execute function bench_notify_row()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not add the latency trigger to the sink's tables", e);
        }
    }
}
