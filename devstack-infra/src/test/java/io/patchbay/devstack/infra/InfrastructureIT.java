package io.patchbay.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class InfrastructureIT {

    private final SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("infra");

    @Test
    void brokerRoundTripsARecordOnACreatedTopic() throws Exception {
        String topic = ns.topicPrefix() + ".smoke";
        ns.infrastructure().kafka().createTopics(List.of(topic), 3);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", ns.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("v");
        }
    }

    @Test
    void postgresIsDurableAndIsolatedPerNamespace() throws Exception {
        try (var connection = DriverManager.getConnection(ns.jdbcUrl(), PostgresServer.USER, null);
             var result = connection.createStatement().executeQuery(
                     "select current_database(), current_setting('synchronous_commit')")) {
            result.next();
            assertThat(result.getString(1)).startsWith("infra_");
            assertThat(result.getString(2)).isEqualTo("on");
        }
    }

    @Test
    void registryServesTheConfluentApiWithBackwardCompatibility() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"S\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
        String incompatible = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"S\\\",\\\"fields\\\":[{\\\"name\\\":\\\"b\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
        String subject = ns.topicPrefix() + "-smoke-value";
        var register = client.send(post(subject, schema), HttpResponse.BodyHandlers.ofString());
        assertThat(register.statusCode()).isEqualTo(200);
        assertThat(register.body()).contains("\"id\"");
        var refused = client.send(post(subject, incompatible), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(409);
    }

    @Test
    void registryWithADataDirectoryKeepsSchemasAcrossRestarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start(0, data, data.resolve("registry.log"))) {
            String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":[]}\"}";
            var register = client.send(post(registry.url(), "kept-value", schema), HttpResponse.BodyHandlers.ofString());
            assertThat(register.statusCode()).isEqualTo(200);

            registry.restart();

            var subjects = client.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.body()).contains("kept-value");
        }
    }

    private HttpRequest post(String subject, String body) {
        return post(ns.registryUrl(), subject, body);
    }

    private static HttpRequest post(String registryUrl, String subject, String body) {
        return HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
