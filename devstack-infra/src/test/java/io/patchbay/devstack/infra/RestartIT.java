package io.patchbay.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartIT {

    @Test
    void brokerRestartsOnItsPortAndKeepsRecordsAndCommittedOffsets() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(List.of("restart.smoke"), 2);
            try (var producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("restart.smoke", "k", "before")).get();
            }
            commit(bootstrap, 1);

            broker.stopBroker();
            try (var producer = producer(bootstrap, "max.block.ms", "1500")) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("restart.smoke", "k", "down")).get(3, TimeUnit.SECONDS))
                        .isNotNull();
            }
            broker.startBroker();

            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            try (var producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("restart.smoke", "k", "after")).get(30, TimeUnit.SECONDS);
            }
            List<String> values = new ArrayList<>();
            try (var consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("restart.smoke"));
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < end) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
            }
            assertThat(values).containsExactly("after");
        }
    }

    @Test
    void postgresRestartsOnItsPortWithItsData(@TempDir Path data) throws Exception {
        try (PostgresServer postgres = PostgresServer.start(FreePorts.find(), data)) {
            String url = postgres.createDatabase("restart_smoke");
            try (var c = DriverManager.getConnection(url, PostgresServer.USER, null)) {
                c.createStatement().execute("create table t (v text); insert into t values ('kept')");
            }
            postgres.stop();
            assertThatThrownBy(() -> DriverManager.getConnection(url, PostgresServer.USER, null)).isNotNull();
            postgres.restart();
            try (var c = DriverManager.getConnection(url, PostgresServer.USER, null);
                 var rs = c.createStatement().executeQuery("select v from t")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String... extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"));
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void commit(String bootstrap, long offset) {
        try (var consumer = consumer(bootstrap)) {
            consumer.subscribe(List.of("restart.smoke"));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            while (read.isEmpty() && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            consumer.commitSync(Map.of(new TopicPartition("restart.smoke", read.get(0).partition()),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)));
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-smoke");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
