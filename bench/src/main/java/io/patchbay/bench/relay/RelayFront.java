package io.patchbay.bench.relay;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import com.sun.net.httpserver.HttpExchange;

import io.patchbay.bench.BenchData;
import io.patchbay.bench.ChildArguments;
import io.patchbay.bench.LeanHttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay's HTTP front, as lean as the CRUD baseline's (JDK HTTP server, the bearer looked up in memory, the body
 * checked to be a JSON object) but writing each PATCH to Kafka instead of PostgreSQL, through spring-kafka's
 * {@link ReplyingKafkaTemplate} (acknowledged by all replicas, no linger): with {@code Prefer: respond-async} it
 * answers 202 once the request is acknowledged; otherwise it answers with the {@link RelayApplier}'s reply (200 and
 * the row, or 404), which arrives on a reply topic of its own. Answers are written from the Kafka clients' threads, so
 * no HTTP thread waits.
 */
public final class RelayFront implements AutoCloseable {

    static final String LISTENING = "relay front listening on ";
    static final String READY = "relay front ready";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> teamsByToken;
    private final String topic;
    private final ReplyingKafkaTemplate<String, byte[], byte[]> template;
    private final LeanHttpServer server;

    RelayFront(String bootstrap, String topic, String replyTopic, int threads) {
        this.teamsByToken = new BenchData(0).teamsByAuthorization();
        this.topic = topic;
        var producers = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
        ContainerProperties replies = new ContainerProperties(replyTopic);
        replies.setGroupId("bench-relay-front");
        var consumers = new DefaultKafkaConsumerFactory<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer());
        template = new ReplyingKafkaTemplate<>(producers, new KafkaMessageListenerContainer<>(consumers, replies));
        template.setDefaultReplyTimeout(REPLY_TIMEOUT);
        template.start();
        try {
            if (!template.waitForAssignment(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the relay front's reply topic " + replyTopic + " was not assigned in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        server = new LeanHttpServer("relay-http", threads, this::handle);
    }

    private void handle(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String team = teamsByToken.get(exchange.getRequestHeaders().getFirst("Authorization"));
            if (team == null) {
                LeanHttpServer.respond(exchange, 401, "{\"detail\":\"Invalid API key.\"}");
            } else if (!"PATCH".equals(exchange.getRequestMethod())) {
                LeanHttpServer.respond(exchange, 405, "{\"detail\":\"Method not allowed.\"}");
            } else if (!isObject(body)) {
                LeanHttpServer.respond(exchange, 400, "{\"detail\":\"Expected an object.\"}");
            } else {
                send(exchange, team, body);
            }
        } catch (IOException | RuntimeException e) {
            LeanHttpServer.respond(exchange, 500, "{\"detail\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static boolean isObject(byte[] body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (JacksonException e) {
            return false;
        }
    }

    private void send(HttpExchange exchange, String team, byte[] body) {
        String path = exchange.getRequestURI().getPath();
        ProducerRecord<String, byte[]> request = new ProducerRecord<>(topic, path, body);
        request.headers().add(RelayHeaders.PATH, RelayHeaders.utf8(path)).add(RelayHeaders.TEAM, RelayHeaders.utf8(team));
        if ("respond-async".equals(exchange.getRequestHeaders().getFirst("Prefer"))) {
            template.send(request).whenComplete((sent, error) -> LeanHttpServer.respond(exchange, error == null ? 202 : 503, new byte[0]));
        } else {
            template.sendAndReceive(request).whenComplete((reply, error) -> {
                if (error != null) {
                    LeanHttpServer.respond(exchange, 504, "{\"detail\":\"" + error.getClass().getSimpleName() + "\"}");
                } else {
                    LeanHttpServer.respond(exchange, status(reply), reply.value());
                }
            });
        }
    }

    private static int status(ConsumerRecord<String, byte[]> reply) {
        String status = RelayHeaders.text(reply.headers(), RelayHeaders.STATUS);
        return status == null ? 502 : Integer.parseInt(status);
    }

    @Override
    public void close() {
        server.close();
        template.stop();
    }

    /** The child JVM: {@code --bootstrap=B --topic=T --reply-topic=R --threads=N}; serves until it is stopped. */
    public static void main(String[] args) throws Exception {
        Options options = ChildArguments.parse(new Options(), args);
        new RelayFront(options.bootstrap, options.topic, options.replyTopic, options.threads).server.announceAndServe(LISTENING, READY);
    }

    /** The child JVM's options ({@link ChildArguments}). */
    @Command(name = "relay-front")
    static final class Options {

        @Option(names = "--bootstrap", required = true, description = "the Kafka cluster")
        String bootstrap;

        @Option(names = "--topic", required = true, description = "the requests' topic")
        String topic;

        @Option(names = "--reply-topic", required = true, description = "the topic the applier answers on")
        String replyTopic;

        @Option(names = "--threads", defaultValue = "16", description = "HTTP worker threads (default: ${DEFAULT-VALUE})")
        int threads;
    }
}
