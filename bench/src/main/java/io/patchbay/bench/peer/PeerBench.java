package io.patchbay.bench.peer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.patchbay.bench.CpuWindow;
import io.patchbay.bench.Databases;
import io.patchbay.bench.ProcessorBench;
import io.patchbay.bench.Progress;
import io.patchbay.bench.Results;
import io.patchbay.devstack.infra.KafkaBroker;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;

/**
 * The peer benchmark: Debezium's JDBC sink connector on Kafka Connect, given what patchbay's processor applied in
 * the same run as full-row upserts. Every change the processor applied (its {@code change_log}, in command order)
 * becomes one record holding the row after the change; the sink upserts it, on its own copy of the same seeded
 * tables, and nothing else: no dedupe, no rules, no command log, no change events. Measured like the processor's
 * drain: records preloaded, the Connect JVM started, time from the first row written to the last, CPU of
 * Connect's JVM and of PostgreSQL per record, and at the end every row compared with the processor's.
 */
public final class PeerBench {

    /** A configuration of the connector: a name for the tables and settings on top of the issue's. */
    public record Variant(String name, Map<String, String> settings) {
    }

    /**
     * The configuration the issue fixes ({@code insert.mode=upsert}, {@code primary.key.mode=record_key},
     * {@code batch.size=500}), then the same with Debezium's reduction buffer, which collapses the records of a
     * batch that share a key to the last one (what its documentation recommends for this kind of stream).
     */
    public static final List<Variant> VARIANTS = List.of(
            new Variant("upsert", Map.of()),
            new Variant("upsert+reduction", Map.of("use.reduction.buffer", "true")));

    private final String bootstrapServers;
    private final String registryUrl;
    private final String classpath;
    private final Path logs;
    private final Function<String, List<String>> jvmOptions;
    private long records;

    /** {@code jvmOptions} gives the options of the Connect JVM named by its argument (the apps' own, JFR included). */
    public PeerBench(String bootstrapServers, String registryUrl, Path projectDirectory, Path logs,
                     Function<String, List<String>> jvmOptions) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.classpath = ConnectWorker.classpath(projectDirectory);
        this.logs = logs;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Produces one full-row record per change recorded in {@code processorUrl}'s change log, in the order of
     * {@code commandIds} (the order the commands were produced), and returns the seconds it took.
     */
    public double preload(String processorUrl, List<String> commandIds, KafkaBroker kafka, Progress progress) {
        kafka.createTopics(List.of(SinkRecords.EVALUATION_TOPIC, SinkRecords.AUTOMATION_TOPIC), 3);
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        progress.phase("peer: preload full rows (JSON)", 0, acked::get);
        ConfluentAvroDeserializer<Object> deserializer = ConfluentAvroDeserializer.specificForRegistry(registryUrl);
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none", ProducerConfig.CLIENT_ID_CONFIG, "bench-peer-preload"),
                new StringSerializer(), new StringSerializer());
             Connection connection = DriverManager.getConnection(processorUrl);
             PreparedStatement changes = connection.prepareStatement(
                     "select command_id, payload from change_log where command_id = any(?)")) {
            for (int from = 0; from < commandIds.size(); from += 2_000) {
                List<String> chunk = commandIds.subList(from, Math.min(commandIds.size(), from + 2_000));
                changes.setArray(1, connection.createArrayOf("text", chunk.toArray()));
                Map<String, byte[]> payloads = new HashMap<>();
                try (ResultSet rs = changes.executeQuery()) {
                    while (rs.next()) {
                        payloads.put(rs.getString(1), rs.getBytes(2));
                    }
                }
                for (String commandId : chunk) {
                    byte[] payload = payloads.get(commandId);
                    if (payload == null) {
                        continue;
                    }
                    Object change = deserializer.deserialize("change_log", payload);
                    SinkRecords.SinkRecord record;
                    if (change instanceof EvaluationChanged e) {
                        record = SinkRecords.evaluation(e.getAfter());
                    } else if (change instanceof AutomationChanged a) {
                        record = SinkRecords.automation(a.getAfter());
                    } else {
                        throw new IllegalStateException("unexpected change payload of " + commandId);
                    }
                    producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else {
                            acked.incrementAndGet();
                        }
                    });
                    sent++;
                }
            }
            producer.flush();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the processor's change log", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading the sink's records failed", failure.get());
        }
        records = sent;
        return (System.nanoTime() - start) / 1e9;
    }

    /** Records preloaded by {@link #preload}. */
    public long records() {
        return records;
    }

    /**
     * Runs {@code variant} on a fresh copy of the seeded tables until it has applied every preloaded record, then
     * compares its rows with {@code processorRows} (the processor's, from {@link #rows}, right after its drain).
     * Returns the running worker through {@code worker} when {@code keepRunning} (for the latency ladder), else
     * stops it.
     */
    public Results.SinkRun run(Variant variant, Databases databases, List<List<String>> processorRows, int postgresPort,
                               Progress progress,
                               boolean keepRunning, AtomicReference<ConnectWorker> worker) {
        String url = databases.copy(database(variant));
        String name = "sink-" + variant.name().replace('+', '-');
        Map<String, String> settings = ConnectWorker.connectorSettings(name, url.replaceAll("[?&]user=[^&]*", ""),
                variant.settings());
        long seeded = databases.seededVersionSum();
        AtomicLong applied = new AtomicLong();
        progress.phase("peer " + variant.name() + ": starting Kafka Connect", 0, () -> 0);
        ConnectWorker started = ConnectWorker.start("connect-" + name, classpath, bootstrapServers, settings,
                jvmOptions.apply("connect-" + name), logs);
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement versions = connection.prepareStatement("select (select coalesce(sum(version), 0) from evaluation)"
                     + " + (select coalesce(sum(version), 0) from automation)")) {
            long pid = started.process().pid();
            CpuWindow.Reading start = CpuWindow.Reading.take(0, pid, postgresPort);
            applied.set(versionSum(versions) - seeded);
            long appliedAtStart = applied.get();
            progress.phase("peer " + variant.name() + ": Debezium JDBC sink applying", records, applied::get);
            long first = appliedAtStart > 0 ? System.nanoTime() : -1;
            long last = first;
            long rssMax = started.process().rssKb();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + records / 200);
            long checked = System.nanoTime();
            CpuWindow.Reading middle = null;
            long middleNanos = 0;
            while (applied.get() < records && System.nanoTime() < deadline) {
                ProcessorBench.sleep(100);
                long now = applied.get();
                applied.set(versionSum(versions) - seeded);
                if (applied.get() > now) {
                    last = System.nanoTime();
                    if (first < 0) {
                        first = last;
                    }
                }
                if (middle == null && applied.get() >= CpuWindow.halfOf(records) && applied.get() < records) {
                    middleNanos = System.nanoTime();
                    middle = CpuWindow.Reading.take(applied.get(), pid, postgresPort);
                }
                rssMax = Math.max(rssMax, started.process().rssKb());
                if (System.nanoTime() - checked > TimeUnit.SECONDS.toNanos(2)) {
                    started.checkNotFailed();
                    checked = System.nanoTime();
                }
            }
            if (applied.get() < records) {
                throw new IllegalStateException("the JDBC sink applied " + applied.get() + " of " + records
                        + " records before the deadline; see " + started.process().log());
            }
            CpuWindow.Reading end = CpuWindow.Reading.take(applied.get(), pid, postgresPort);
            Results.Window secondHalf = middle == null ? null
                    : CpuWindow.between(middle, end, (last - middleNanos) / 1e9, "Kafka Connect's JVM");
            double seconds = Math.max(0.001, (last - first) / 1e9);
            String difference = firstDifference(processorRows, rows(url));
            Results.SinkRun run = new Results.SinkRun(variant.name(), settings(settings), records, seconds,
                    records / seconds, CpuWindow.perUnit(start, end, "Kafka Connect's JVM", records - appliedAtStart),
                    difference == null, difference, rssMax,
                    CpuWindow.perUnitByThreadGroup(start, end, records - appliedAtStart), secondHalf);
            progress.note(String.format(Locale.ROOT, "Debezium JDBC sink (%s): %,.0f records/s, CPU %.3f + %.3f ms/record;"
                            + " same rows as the processor: %s", variant.name(), run.recordsPerSecond(),
                    run.cpuMillisPerRecord().app(), run.cpuMillisPerRecord().database(), run.sameRowsAsProcessor()));
            if (keepRunning) {
                worker.set(started);
            }
            return run;
        } catch (SQLException e) {
            throw new IllegalStateException("could not follow the sink's progress", e);
        } finally {
            if (worker.get() != started) {
                started.close();
            }
        }
    }

    /** The name of {@code variant}'s database. */
    public static String database(Variant variant) {
        return "bench_sink_" + variant.name().replaceAll("[^a-z0-9]", "_");
    }

    private static Map<String, String> settings(Map<String, String> connector) {
        Map<String, String> shown = new java.util.LinkedHashMap<>(connector);
        shown.remove("connection.url");
        shown.remove("connection.password");
        return shown;
    }

    private static long versionSum(PreparedStatement versions) throws SQLException {
        try (ResultSet rs = versions.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every compared row of both tables of {@code jdbcUrl}, as text in a stable order. */
    public static List<List<String>> rows(String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            statement.execute("set time zone 'UTC'");
            List<List<String>> tables = new ArrayList<>();
            for (String query : SinkRecords.comparedRows()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery(query)) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                tables.add(rows);
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the rows of " + jdbcUrl, e);
        }
    }

    /** The first row where {@code actual} differs from {@code expected} (both from {@link #rows}), or null. */
    static String firstDifference(List<List<String>> expected, List<List<String>> actual) {
        for (int t = 0; t < expected.size(); t++) {
            List<String> want = expected.get(t);
            List<String> got = actual.get(t);
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                String w = i < want.size() ? want.get(i) : "(no row)";
                String g = i < got.size() ? got.get(i) : "(no row)";
                if (!w.equals(g)) {
                    return "processor " + w + " / sink " + g;
                }
            }
        }
        return null;
    }

}
