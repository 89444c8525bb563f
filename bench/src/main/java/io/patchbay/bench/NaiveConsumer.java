package io.patchbay.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.patchbay.processor.application.CommandBatchProcessor;
import io.patchbay.processor.config.CommandBatchProcessors;
import io.patchbay.processor.transport.OutcomePublisher;
import io.patchbay.schemas.Topics;
import io.patchbay.store.Store;

/**
 * The baseline a first implementation would be: for every record, one database transaction and one
 * synchronous send of its outcomes (wait for the broker's acknowledgement before the next record), offsets
 * committed after each poll. It runs the processor's own decoding, rules and repositories, so the difference
 * to the processor is the batching alone. Same commands (the preloaded topics, its own consumer group),
 * same seeded data (its own copy of the template database), outcomes to its own topics.
 */
public final class NaiveConsumer {

    private final String bootstrapServers;
    private final String registryUrl;

    public NaiveConsumer(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    private long commandsDone;
    private double seconds;
    private double appCpu;
    private double databaseCpu;

    /**
     * Consumes the next part of the commands: at most {@code maxCommands} or {@code maxSeconds} (from its first
     * record), whichever comes first; offsets stay committed between parts, totals accumulate.
     */
    public void runPart(Topics input, Topics output, String jdbcUrl, int maxCommands, int maxSeconds,
                        Progress progress, int postgresPort) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(2);
        pool.setPoolName("bench-naive");
        AtomicLong processed = new AtomicLong();
        long start;
        long end;
        double cpuStart = 0;
        double dbStart = 0;
        double cpu;
        double db;
        try (HikariDataSource dataSource = new HikariDataSource(pool);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.CLIENT_ID_CONFIG, "bench-naive"),
                     new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ConsumerConfig.GROUP_ID_CONFIG, output.prefix() + "-naive",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            Jdbi jdbi = Store.on(dataSource).jdbi();
            CommandBatchProcessor processor = CommandBatchProcessors.on(jdbi, output).commandTopics(input)
                    .registry(registryUrl).build();
            OutcomePublisher publisher = new OutcomePublisher(producer, Duration.ofSeconds(30));
            consumer.subscribe(List.of(input.commands(io.patchbay.schemas.ResourceType.EVALUATION),
                    input.commands(io.patchbay.schemas.ResourceType.AUTOMATION)));
            progress.phase("naive consumer (1 tx + 1 sync send per record)", maxCommands, processed::get);
            // the clock starts with the first record, after the group join
            start = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds + 30).toNanos();
            outer:
            while (processed.get() < maxCommands && System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (start == 0) {
                        cpuStart = CpuMeter.currentThreadSeconds();
                        dbStart = CpuMeter.postgresSeconds(postgresPort);
                        start = System.nanoTime();
                        deadline = start + Duration.ofSeconds(maxSeconds).toNanos();
                    }
                    publisher.publish(processor.process(List.of(record)));
                    offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    if (processed.incrementAndGet() >= maxCommands || System.nanoTime() >= deadline) {
                        consumer.commitSync(offsets);
                        break outer;
                    }
                }
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets);
                }
            }
            end = System.nanoTime();
            cpu = CpuMeter.currentThreadSeconds() - cpuStart;
            db = CpuMeter.postgresSeconds(postgresPort) - dbStart;
        }
        if (processed.get() == 0) {
            throw new IllegalStateException("the naive consumer read no command within " + (maxSeconds + 30) + " s");
        }
        seconds += (end - start) / 1e9;
        commandsDone += processed.get();
        appCpu += cpu;
        databaseCpu = dbStart < 0 || databaseCpu < 0 ? -1 : databaseCpu + db;
    }

    public long commandsDone() {
        return commandsDone;
    }

    /** The totals of every part so far, checked against the database. */
    public Results.Throughput result(String jdbcUrl, Databases databases, int maxCommands, int maxSeconds, int parts) {
        return new Results.Throughput("naive consumer", commandsDone, seconds, commandsDone / seconds,
                Databases.statuses(jdbcUrl), databases.verify(jdbcUrl, commandsDone),
                Results.CpuPerCommand.of(appCpu, "the consumer's thread (not the Kafka clients' I/O threads)",
                        databaseCpu, commandsDone),
                parts + " parts around the other phases, each stopping after " + maxCommands + " commands or "
                        + maxSeconds + " s, whichever comes first");
    }
}
