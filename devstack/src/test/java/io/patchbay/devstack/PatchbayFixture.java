package io.patchbay.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import tools.jackson.databind.JsonNode;

/**
 * patchbay as devstack runs it (both apps, demo data) on the shared real infrastructure, once per test JVM,
 * with helpers to call the HTTP API and read topics with the project's own Avro deserializer.
 */
public final class PatchbayFixture {

    private static PatchbayFixture shared;

    public final SharedInfrastructure.Namespace namespace;
    public final PatchbayApps apps;
    public final DemoData.Facts demo;
    public final Topics topics;
    public final Jdbi jdbi;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PatchbayFixture(SharedInfrastructure.Namespace namespace, PatchbayApps apps, DemoData.Facts demo) {
        this.namespace = namespace;
        this.apps = apps;
        this.demo = demo;
        this.topics = new Topics(namespace.topicPrefix());
        this.jdbi = Jdbi.create(namespace.jdbcUrl(), PostgresServer.USER, "");
    }

    public static synchronized PatchbayFixture shared() {
        if (shared == null) {
            SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("e2e");
            PatchbayApps apps = PatchbayApps.start(new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(),
                    ns.registryUrl(), ns.topicPrefix(), 0, "https://app.example.com"), Map.of());
            DemoData.Facts demo = DemoData.seed(Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, ""));
            shared = new PatchbayFixture(ns, apps, demo);
            Runtime.getRuntime().addShutdownHook(new Thread(apps::close));
        }
        return shared;
    }

    public String token(String keyId) {
        return demo.key(keyId).token();
    }

    public HttpResponse<String> send(String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apps.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JsonValues.MAPPER.readTree(response.body());
    }

    /** Reads {@code topic} from the beginning until {@code until} holds for the records read, or fails at the deadline. */
    public List<ConsumerRecord<String, Object>> readUntil(String topic, Predicate<List<ConsumerRecord<String, Object>>> until,
                                                          Duration deadline) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            long end = System.nanoTime() + deadline.toNanos();
            while (!until.test(records)) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("condition not met on " + topic + " within " + deadline + "; read " + records.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** Every record of {@code topic} up to its current end. */
    public List<ConsumerRecord<String, Object>> readAll(String topic) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    public KafkaProducer<String, Object> producer() {
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", namespace.registryUrl()), false);
        return new KafkaProducer<>(Map.of("bootstrap.servers", namespace.bootstrapServers(), "acks", "all"),
                new StringSerializer(), serializer);
    }

    public <T> void produce(String topic, String key, T value) {
        try (KafkaProducer<String, Object> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private KafkaConsumer<String, Object> consumer() {
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", namespace.registryUrl(), "specific.avro.reader", true), false);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, namespace.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
    }
}
