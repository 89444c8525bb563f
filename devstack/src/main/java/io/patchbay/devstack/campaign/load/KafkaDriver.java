package io.patchbay.devstack.campaign.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * A producer writing commands straight to the commands topics, as any Confluent Avro producer may (acks=all,
 * idempotent): commands, the same command again in a new record (a duplicate), and poison. A send the producer
 * gives up on is sent again, with the same bytes, while the op is young (a careful producer's retry); so one
 * command may be on the topic more than once, which the processor must absorb.
 */
final class KafkaDriver implements AutoCloseable {

    /** Poison's Confluent schema id: nothing is registered under it. */
    private static final int UNKNOWN_SCHEMA_ID = 2_000_000_000;
    private static final int MAX_SENDS = 3;

    private final KafkaProducer<String, byte[]> producer;
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("campaign-kafka-send"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("campaign-kafka-retry"));
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongSupplier clock;
    private final Duration resendWindow;

    /**
     * @param clock milliseconds since the campaign started
     * @param resendWindow a failed send is retried only within this time from the op's start
     */
    KafkaDriver(String bootstrapServers, String registryUrl, LongSupplier clock, Duration resendWindow) {
        this.clock = clock;
        this.resendWindow = resendWindow;
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "enable.idempotence", true, "linger.ms", 5, "delivery.timeout.ms", 30_000, "request.timeout.ms", 10_000,
                "max.block.ms", 30_000), new StringSerializer(), new ByteArraySerializer());
    }

    /** The Confluent-wire-format bytes of {@code command} for {@code topic} (registers its schema on first use). */
    byte[] serialize(String topic, SpecificRecord command) {
        return serializer.serialize(topic, command);
    }

    /**
     * Bytes no consumer can decode, unique to {@code opId}: not the wire format, an unknown schema id, or a real
     * command (whose unique command id comes first) cut in half.
     */
    static byte[] poison(int opId, Random random, byte[] someCommand) {
        byte[] tag = ("poison-" + opId + "-" + Long.toHexString(random.nextLong())).getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(3)) {
            case 0 -> tag;
            case 1 -> ByteBuffer.allocate(5 + tag.length).put((byte) 0).putInt(UNKNOWN_SCHEMA_ID).put(tag).array();
            default -> Arrays.copyOf(someCommand, someCommand.length / 2);
        };
    }

    /** Sends {@code value} for {@code op} without blocking the caller; the op records where it landed. */
    void send(Op op, String topic, String key, byte[] value) {
        inFlight.incrementAndGet();
        sender.execute(() -> attempt(op, topic, key, value, 1));
    }

    private void attempt(Op op, String topic, String key, byte[] value, int number) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    op.sent(new Op.Send(clock.getAsLong(), topic, metadata.partition(), metadata.offset(), null));
                    inFlight.decrementAndGet();
                } else {
                    failed(op, topic, key, value, number, error);
                }
            });
        } catch (RuntimeException e) {
            failed(op, topic, key, value, number, e);
        }
    }

    private void failed(Op op, String topic, String key, byte[] value, int number, Exception error) {
        op.sent(new Op.Send(clock.getAsLong(), topic, -1, -1, error.toString()));
        if (number < MAX_SENDS && clock.getAsLong() - op.startMillis < resendWindow.toMillis()) {
            retries.schedule(() -> sender.execute(() -> attempt(op, topic, key, value, number + 1)), 1, TimeUnit.SECONDS);
        } else {
            inFlight.decrementAndGet();
        }
    }

    /** Sends not yet acknowledged or given up. */
    int inFlight() {
        return inFlight.get();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        retries.shutdownNow();
        sender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
