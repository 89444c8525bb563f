package io.patchbay.devstack.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.patchbay.devstack.faults.CommandPlan.Kind;
import io.patchbay.devstack.faults.CommandPlan.Planned;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * Sends a {@link CommandPlan} at a steady rate: Kafka commands with an ordinary Confluent Avro producer (acks=all,
 * idempotent), HTTP commands to the adapters round-robin with an Idempotency-Key, each sent twice (the second
 * time to the next adapter). An HTTP client behaves like a careful real one: on a 5xx or a broken connection it
 * sends the same request with the same key again, until it gets an answer.
 */
public final class StreamDriver implements AutoCloseable {

    /** One HTTP command: its first answer and the answer to the replay with the same key. */
    public record HttpExchange(Planned planned, int firstStatus, String firstBody, int replayStatus, String replayBody,
                               boolean replayMarked, String requestId, String replayRequestId, int retries) {
    }

    private static final Duration HTTP_GIVE_UP = Duration.ofSeconds(90);

    private final List<Planned> plan;
    private final Topics topics;
    private final List<String> adapters;
    private final int ratePerSecond;
    private final KafkaProducer<String, Object> producer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService httpWorkers;
    private final Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
    private final Map<Integer, String> failed = new ConcurrentHashMap<>();
    private final Map<Integer, HttpExchange> exchanges = new ConcurrentHashMap<>();
    private final AtomicInteger dispatched = new AtomicInteger();
    private Thread pacer;

    public StreamDriver(List<Planned> plan, String bootstrapServers, String registryUrl, Topics topics, List<String> adapters,
                        int ratePerSecond, int httpConcurrency) {
        this.plan = plan;
        this.topics = topics;
        this.adapters = adapters;
        this.ratePerSecond = ratePerSecond;
        ConfluentAvroSerializer<Object> serializer = ConfluentAvroSerializer.forRegistry(registryUrl);
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "enable.idempotence", true, "linger.ms", 5, "delivery.timeout.ms", 180_000, "max.block.ms", 120_000),
                new StringSerializer(), serializer);
        this.httpWorkers = Executors.newFixedThreadPool(Math.max(1, httpConcurrency), runnable -> {
            Thread thread = new Thread(runnable, "fault-http");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sending in the background. */
    public StreamDriver start() {
        pacer = new Thread(this::pace, "fault-stream");
        pacer.setDaemon(true);
        pacer.start();
        return this;
    }

    private void pace() {
        long start = System.nanoTime();
        for (Planned planned : plan) {
            long due = start + (long) (planned.index() * (1_000_000_000.0 / ratePerSecond));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (planned.kind().http()) {
                httpWorkers.submit(() -> {
                    try {
                        exchanges.put(planned.index(), exchange(planned));
                    } catch (RuntimeException e) {
                        exchanges.put(planned.index(), new HttpExchange(planned, -1, e.toString(), -1, null, false, null,
                                null, 0));
                    }
                });
            } else {
                String topic = topics.commands(planned.type());
                producer.send(new ProducerRecord<>(topic, planned.resourceId(), planned.command()), (metadata, error) -> {
                    if (error == null) {
                        acked.put(planned.index(), true);
                    } else {
                        failed.put(planned.index(), error.toString());
                    }
                });
            }
            dispatched.incrementAndGet();
        }
        producer.flush();
        httpWorkers.shutdown();
    }

    /** How many planned commands have been handed to Kafka or to an HTTP worker so far. */
    public int dispatched() {
        return dispatched.get();
    }

    /** Waits until every command is sent and acknowledged and every HTTP exchange has its answers. */
    public void awaitSent(Duration deadline) {
        Poll.until("every planned command sent (" + dispatched() + "/" + plan.size() + " dispatched, "
                + (acked.size() + failed.size() + exchanges.size()) + " finished)", deadline, Duration.ofMillis(100),
                () -> !pacer.isAlive() && acked.size() + failed.size() + exchanges.size() == plan.size());
        try {
            httpWorkers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when Kafka acknowledged the record of planned command {@code index}. */
    public boolean acked(int index) {
        return acked.containsKey(index);
    }

    public Map<Integer, String> failedSends() {
        return Map.copyOf(failed);
    }

    public Map<Integer, HttpExchange> exchanges() {
        return Map.copyOf(exchanges);
    }

    private HttpExchange exchange(Planned planned) {
        String path = planned.type() == ResourceType.EVALUATION
                ? "/api/v1/evaluations/" + planned.resourceId()
                : "/api/automations/" + planned.resourceId() + "/";
        String body = "{\"name\":\"" + planned.value() + "\"}";
        int first = planned.index() % adapters.size();
        int[] retries = {0};
        HttpResponse<String> a = send(adapters.get(first) + path, body, planned.idempotencyKey(), retries);
        HttpResponse<String> b = send(adapters.get((first + 1) % adapters.size()) + path, body, planned.idempotencyKey(), retries);
        return new HttpExchange(planned, a.statusCode(), a.body(), b.statusCode(), b.body(),
                b.headers().firstValue("Idempotent-Replayed").filter("true"::equals).isPresent(),
                a.headers().firstValue("X-Request-Id").orElse(null), b.headers().firstValue("X-Request-Id").orElse(null),
                retries[0]);
    }

    private HttpResponse<String> send(String url, String body, String key, int[] retries) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + FaultData.TOKEN).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
        long giveUp = System.nanoTime() + HTTP_GIVE_UP.toNanos();
        while (true) {
            Optional<HttpResponse<String>> response;
            try {
                response = Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
            } catch (IOException e) {
                response = Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (response.isPresent() && response.get().statusCode() < 500) {
                return response.get();
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("no answer but 5xx for " + url + " within " + HTTP_GIVE_UP);
            }
            retries[0]++;
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    /** The planned commands, in plan order. */
    public List<Planned> plan() {
        return plan;
    }

    static boolean isKafka(Planned planned) {
        return planned.kind() != Kind.HTTP_RENAME_AUTOMATION && planned.kind() != Kind.HTTP_RENAME_EVALUATION;
    }

    @Override
    public void close() {
        httpWorkers.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
