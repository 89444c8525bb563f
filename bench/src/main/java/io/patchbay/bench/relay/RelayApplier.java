package io.patchbay.bench.relay;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.bench.ChildArguments;
import io.patchbay.bench.CrudStatements;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The relay's consumer: each poll's requests applied with {@link CrudStatements} in one transaction (one durable
 * commit), then, for each request that names a reply topic (spring-kafka's {@code kafka_replyTopic}, and
 * {@code kafka_replyPartition} when set), the row sent there with its {@code kafka_correlationId}; the poll's offsets
 * are committed once the replies are acknowledged. Kafka's default fetch settings: no consumer-side linger.
 */
public final class RelayApplier implements AutoCloseable {

    static final String READY = "relay applier ready";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Connection connection;

    RelayApplier(String bootstrap, String jdbcUrl, String topic, String group) throws SQLException {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
        connection = DriverManager.getConnection(jdbcUrl);
        connection.setAutoCommit(false);
        consumer.subscribe(List.of(topic));
    }

    /** Applies and answers until the thread is interrupted. */
    void run() throws SQLException, InterruptedException, ExecutionException {
        while (!Thread.currentThread().isInterrupted()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
            if (records.isEmpty()) {
                continue;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> reply : apply(records)) {
                acks.add(producer.send(reply));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            consumer.commitAsync();
        }
    }

    private List<ProducerRecord<String, byte[]>> apply(ConsumerRecords<String, byte[]> records) throws SQLException {
        List<ProducerRecord<String, byte[]>> replies = new ArrayList<>();
        try {
            for (ConsumerRecord<String, byte[]> request : records) {
                ObjectNode row = CrudStatements.update(connection, RelayHeaders.text(request.headers(), RelayHeaders.PATH),
                        RelayHeaders.text(request.headers(), RelayHeaders.TEAM), JSON.readTree(request.value()));
                reply(request, row == null ? 404 : 200, row == null ? new byte[0] : JSON.writeValueAsBytes(row), replies);
            }
            connection.commit();
            return replies;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            replies.clear();
            byte[] detail = RelayHeaders.utf8("{\"detail\":\"" + e.getClass().getSimpleName() + "\"}");
            records.forEach(request -> reply(request, 500, detail, replies));
            return replies;
        }
    }

    private static void reply(ConsumerRecord<String, byte[]> request, int status, byte[] body,
                              List<ProducerRecord<String, byte[]>> replies) {
        String topic = RelayHeaders.text(request.headers(), KafkaHeaders.REPLY_TOPIC);
        if (topic == null) {
            return;
        }
        Header partition = request.headers().lastHeader(KafkaHeaders.REPLY_PARTITION);
        ProducerRecord<String, byte[]> reply = new ProducerRecord<>(topic,
                partition == null ? null : ByteBuffer.wrap(partition.value()).getInt(), request.key(), body);
        reply.headers().add(KafkaHeaders.CORRELATION_ID, request.headers().lastHeader(KafkaHeaders.CORRELATION_ID).value());
        reply.headers().add(RelayHeaders.STATUS, RelayHeaders.utf8(Integer.toString(status)));
        replies.add(reply);
    }

    @Override
    public void close() throws SQLException {
        consumer.close();
        producer.close();
        connection.close();
    }

    /** The child JVM: {@code --bootstrap=B --jdbc-url=URL --topic=T --group=G}; applies until it is stopped. */
    public static void main(String[] args) throws Exception {
        Options options = ChildArguments.parse(new Options(), args);
        try (RelayApplier applier = new RelayApplier(options.bootstrap, options.jdbcUrl, options.topic, options.group)) {
            System.out.println(READY);
            System.out.flush();
            applier.run();
        }
    }

    /** The child JVM's options ({@link ChildArguments}). */
    @Command(name = "relay-applier")
    static final class Options {

        @Option(names = "--bootstrap", required = true, description = "the Kafka cluster")
        String bootstrap;

        @Option(names = "--jdbc-url", required = true, description = "the database the requests update")
        String jdbcUrl;

        @Option(names = "--topic", required = true, description = "the requests' topic")
        String topic;

        @Option(names = "--group", required = true, description = "the consumer group")
        String group;
    }
}
