package io.patchbay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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

import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * The processor under test: commands preloaded on the commands topics, the processor started as its own JVM,
 * and the time until every outcome is on the results topic. (Its latency under load is measured by
 * {@link io.patchbay.bench.load.LatencyLadders}.)
 */
public final class ProcessorBench {

    private final String bootstrapServers;
    private final String registryUrl;

    public ProcessorBench(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** Writes {@code commands} to their commands topics (acks=all) and returns the seconds it took. */
    public double preload(Topics topics, List<CommandGenerator.Generated> commands, Progress progress) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        progress.phase("preload commands on Kafka", commands.size(), acked::get);
        long start = System.nanoTime();
        try (KafkaProducer<String, Object> producer = producer(20, 512 * 1024)) {
            for (CommandGenerator.Generated c : commands) {
                producer.send(new ProducerRecord<>(topics.commands(c.type()), c.key(), c.command()), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading commands failed", failure.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Reads the results topic from its beginning and counts distinct command ids; keeps the first and last timestamps. */
    public static final class ResultCounter implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Set<String> seen = new HashSet<>();
        private final List<Long> timestamps = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong count = new AtomicLong();
        private volatile long firstTimestamp = Long.MAX_VALUE;
        private volatile long lastTimestamp;
        private volatile boolean running = true;
        private final Thread thread;

        public ResultCounter(String bootstrapServers, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(this::loop, "bench-result-counter");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (seen.add(record.key())) {
                            firstTimestamp = Math.min(firstTimestamp, record.timestamp());
                            lastTimestamp = Math.max(lastTimestamp, record.timestamp());
                            timestamps.add(record.timestamp());
                            count.incrementAndGet();
                        }
                    }
                }
            } finally {
                consumer.close();
            }
        }

        public long count() {
            return count.get();
        }

        /**
         * Distinct outcomes read so far whose broker timestamp is after {@code millis}: what was published after a
         * moment, however far this reader lags behind.
         */
        public long countAfter(long millis) {
            synchronized (timestamps) {
                return timestamps.stream().filter(t -> t > millis).count();
            }
        }

        /** Broker timestamp (ms) of the last distinct outcome read so far. */
        public long lastTimestamp() {
            return lastTimestamp;
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the processor on the preloaded topics and waits until it has published an outcome for every one
     * of {@code expected} commands. The processor JVM is returned running (for the latency phase) through
     * {@code started}.
     */
    public Results.Drain drain(Topics topics, long expected, double preloadSeconds, ProcessorLauncher launcher,
                               AtomicReference<AppProcess> started, Progress progress, Databases databases, String jdbcUrl,
                               int postgresPort) {
        try (ResultCounter counter = new ResultCounter(bootstrapServers, topics.commandResults())) {
            long launchedAt = System.currentTimeMillis();
            progress.phase("drain: starting the processor JVM", 0, () -> 0);
            AppProcess processor = launcher.launch();
            started.set(processor);
            CpuWindow.Reading start = CpuWindow.Reading.take(0, processor.pid(), postgresPort);
            long windowStart = System.currentTimeMillis();
            progress.phase("drain: processor applying backlog", expected, counter::count);
            long rssMax = processor.rssKb();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + expected / 200);
            CpuWindow.Reading middle = null;
            long middleMillis = 0;
            while (counter.count() < expected && System.nanoTime() < deadline) {
                sleep(250);
                rssMax = Math.max(rssMax, processor.rssKb());
                long done = counter.count();
                if (middle == null && done >= CpuWindow.halfOf(expected) && done < expected) {
                    middleMillis = System.currentTimeMillis();
                    middle = CpuWindow.Reading.take(done, processor.pid(), postgresPort);
                }
            }
            if (counter.count() < expected) {
                throw new IllegalStateException("the processor published " + counter.count() + " of " + expected
                        + " outcomes before the deadline; see " + processor.log());
            }
            CpuWindow.Reading end = CpuWindow.Reading.take(counter.count(), processor.pid(), postgresPort);
            long measured = counter.countAfter(windowStart);
            Results.CpuPerCommand perCommand = CpuWindow.perUnit(start, end, "the processor JVM", measured);
            Results.Window secondHalf = middle == null ? null
                    : CpuWindow.between(middle, end, (counter.lastTimestamp - middleMillis) / 1000.0, "the processor JVM");
            double firstToLast = (counter.lastTimestamp - counter.firstTimestamp) / 1000.0;
            double launchToLast = (counter.lastTimestamp - launchedAt) / 1000.0;
            return new Results.Drain(expected, counter.count(), preloadSeconds, firstToLast, launchToLast,
                    expected / Math.max(firstToLast, 0.001), Databases.statuses(jdbcUrl), databases.verify(jdbcUrl, expected),
                    perCommand, rssMax, CpuWindow.perUnitByThreadGroup(start, end, measured), secondHalf);
        }
    }

    /** Starts the processor JVM. */
    @FunctionalInterface
    public interface ProcessorLauncher {
        AppProcess launch();
    }

    private KafkaProducer<String, Object> producer(int lingerMs, int batchSize) {
        ConfluentAvroSerializer<Object> serializer = ConfluentAvroSerializer.forRegistry(registryUrl);
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, batchSize,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-commands"), new StringSerializer(), serializer);
    }

    public static void waitUntil(long nanoTime) {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            LockSupport.parkNanos(nanoTime - now);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static List<String> settings(Map<String, Object> map) {
        List<String> args = new ArrayList<>();
        map.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args;
    }
}
