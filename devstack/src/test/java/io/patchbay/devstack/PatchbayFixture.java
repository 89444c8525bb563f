package io.patchbay.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.jdbi.StorePlugin;
import tools.jackson.databind.JsonNode;

/**
 * patchbay as devstack runs it (both apps, demo data) on the shared real infrastructure, once per test JVM,
 * with helpers to call the HTTP API and read topics with the project's own Avro deserializer.
 */
public final class PatchbayFixture {

    /** created_at (and first updated_at) of automations made by {@link #insertAutomation}. */
    public static final Instant AUTOMATION_CREATED_AT = Instant.parse("2025-01-15T10:30:00Z");

    private static PatchbayFixture shared;

    public final SharedInfrastructure.Namespace namespace;
    public final PatchbayApps apps;
    public final DemoData.Facts demo;
    public final Topics topics;
    public final Jdbi jdbi;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Admin admin;
    private final Map<String, TopicTail> tails = new ConcurrentHashMap<>();
    private final ConfluentAvroDeserializer<Object> avro = new ConfluentAvroDeserializer<>();

    private PatchbayFixture(SharedInfrastructure.Namespace namespace, PatchbayApps apps, DemoData.Facts demo) {
        this.namespace = namespace;
        this.apps = apps;
        this.demo = demo;
        this.topics = new Topics(namespace.topicPrefix());
        this.jdbi = Jdbi.create(namespace.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin());
        this.admin = Admin.create(Map.of("bootstrap.servers", namespace.bootstrapServers()));
        avro.configure(Map.of("schema.registry.url", namespace.registryUrl(), "specific.avro.reader", true), false);
    }

    public static synchronized PatchbayFixture shared() {
        if (shared == null) {
            SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace("e2e");
            PatchbayApps apps = PatchbayApps.start(new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(),
                    ns.registryUrl(), ns.topicPrefix(), 0, "https://app.example.com"), Map.of());
            DemoData.Facts demo = DemoData.seed(Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin()));
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

    /**
     * Sends raw bytes with an explicit {@code Content-Type} (none when null), for bodies a String cannot carry
     * (invalid UTF-8) and for content types other than JSON.
     */
    public HttpResponse<String> sendBytes(String method, String path, String token, byte[] body, String contentType,
                                          String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apps.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
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

    /** A response read off a raw socket: status, headers (names lower-cased) and body. */

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}
     * byte for byte over a fresh connection: for what HttpClient will not send, such as non-ASCII header bytes.
     */
    public RawResponse sendRaw(byte[] head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", apps.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(("\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            byte[] response = socket.getInputStream().readAllBytes();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            Map<String, List<String>> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            byte[] rest = java.util.Arrays.copyOfRange(response, split + 4, response.length);
            if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                rest = dechunk(rest);
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(rest, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] dechunk(byte[] chunked) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = at;
            while (chunked[lineEnd] != '\r') {
                lineEnd++;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** A new API key of {@code teamId}; returns its bearer token. Revoked keys are stored revoked now. */
    public String insertKey(String teamId, String role, List<String> scopes, boolean revoked) {
        String keyId = "it_" + UUID.randomUUID().toString().replace("-", "");
        ApiKeys.Minted minted = ApiKeys.mint(keyId, teamId, role, scopes);
        ApiKeyRecord record = minted.record();
        ApiKeyRecord stored = revoked ? new ApiKeyRecord(record.id(), record.teamId(), record.secretHash(), record.role(),
                record.scopes(), null, Instant.now().minusSeconds(1)) : record;
        jdbi.useHandle(h -> new ApiKeyRepository().insert(h, stored, "test"));
        return minted.token();
    }

    /**
     * Inserts a fresh automation of {@code teamId} with a unique id and slug, enabled, sampling rate 0.1, the
     * team's relevance and toxicity evaluators, its demo condition, created and updated at
     * {@link #AUTOMATION_CREATED_AT}; {@code customize} may change any of that. Returns the stored automation
     * as the repository reads it back.
     */
    public AutomationState insertAutomation(String teamId, Consumer<AutomationState.Builder> customize) {
        String t = teamId.substring(teamId.indexOf('_') + 1);
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        AutomationState.Builder builder = AutomationState.newBuilder()
                .setId("auto_it_" + suffix).setTeamId(teamId).setSlug("it_monitor_" + suffix)
                .setName("Production Quality Monitor").setAutomationType("online_eval")
                .setEvaluatorIds(List.of("evl_" + t + "_relevance", "evl_" + t + "_toxicity")).setEvaluatorDetails(List.of())
                .setIsEnabled(true).setConfiguration(new AutomationConfiguration(0.1, List.of()))
                .setCreatedAt(AUTOMATION_CREATED_AT).setUpdatedAt(AUTOMATION_CREATED_AT).setVersion(1L);
        customize.accept(builder);
        AutomationState state = builder.build();
        AutomationRepository automations = new AutomationRepository();
        return jdbi.inTransaction(h -> {
            automations.insert(h, state, "cond_" + t + "_success");
            return automations.findByIdOrSlug(h, state.getTeamId(), state.getId()).orElseThrow();
        });
    }

    /** The stored automation {@code id} of {@code teamId}, as the adapter reads it. */
    public AutomationState automation(String teamId, String id) {
        return jdbi.withHandle(h -> new AutomationRepository().findByIdOrSlug(h, teamId, id)).orElseThrow();
    }

    /** Inserts evaluator {@code ref} for {@code teamId} unless an evaluator with its id exists. */
    public void ensureEvaluator(String teamId, EvaluatorRef ref) {
        jdbi.useTransaction(h -> {
            boolean exists = h.createQuery("select count(*) from evaluator where id = :id").bind("id", ref.getId())
                    .mapTo(Integer.class).one() > 0;
            if (!exists) {
                new EvaluatorRepository().insert(h, teamId, ref);
            }
        });
    }

    /** The end offset of every partition of {@code topic}: what a later comparison shows was (not) written. */
    public Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<Integer, Long> ends = new TreeMap<>();
            consumer.endOffsets(partitions).forEach((partition, offset) -> ends.put(partition.partition(), offset));
            return ends;
        }
    }

    /** Probes until {@code done} holds, or fails at the deadline; never a fixed sleep. */
    public static <T> T pollUntil(Supplier<T> probe, Predicate<T> done, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + deadline + ": " + value);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            value = probe.get();
        }
        return value;
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

    // ---- HTTP with full control over headers and bytes ----

    /** A request to build: {@code fx.call("PATCH", path).token(t).json("{}").header("Prefer", "respond-async").send()}. */
    public Call call(String method, String path) {
        return new Call(method, path);
    }

    /** One HTTP request; unlike {@link #send}, nothing is added that the test did not ask for. */
    public final class Call {
        private final String method;
        private final String path;
        private final List<String[]> headers = new ArrayList<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Call token(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Call header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** A JSON body with {@code Content-Type: application/json}. */
        public Call json(String json) {
            return header("Content-Type", "application/json").body(json.getBytes(StandardCharsets.UTF_8));
        }

        public Call body(byte[] bytes) {
            this.body = HttpRequest.BodyPublishers.ofByteArray(bytes);
            return this;
        }

        /** A body sent chunked, without Content-Length. */
        public Call chunked(byte[] bytes) {
            this.body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes));
            return this;
        }

        public HttpResponse<String> send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apps.httpPort() + path))
                    .timeout(Duration.ofSeconds(30)).method(method, body);
            headers.forEach(h -> request.header(h[0], h[1]));
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(method + " " + path + " failed", e);
            }
        }
    }

    /** A response read off a raw socket: status, headers (names lower-cased) and body. */
    public record RawResponse(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()).stream().findFirst();
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
        }
    }

    /**
     * Sends {@code head} (request line and header lines, CRLF-separated, without the blank line) and {@code body}
     * as bytes over a plain socket, for what {@link HttpClient} refuses to send: control characters, empty or
     * non-ASCII header values, raw bytes in the request target. {@code Content-Length} and
     * {@code Connection: close} are added.
     */
    public RawResponse raw(String head, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", apps.httpPort())) {
            socket.setSoTimeout(30_000);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            request.write(head.getBytes(StandardCharsets.ISO_8859_1));
            request.write(("\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            byte[] response = socket.getInputStream().readAllBytes();
            String all = new String(response, StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, split).split("\r\n");
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            String bodyBytes = all.substring(split + 4);
            if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                bodyBytes = dechunk(bodyBytes);
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    new String(bodyBytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Chunked transfer coding removed; works on ISO-8859-1 text, one char per byte. */
    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    // ---- test data: fresh rows per test, so that tests never share mutable state ----

    /** A new evaluation of {@code teamId} with a unique id: Draft, SxS, TEAM_ONLY, editorsCanShare, then {@code customize}. */
    public String newEvaluation(String teamId, UnaryOperator<EvaluationState.Builder> customize) {
        return newEvaluation(teamId, customize, null);
    }

    /** As {@link #newEvaluation(String, UnaryOperator)}, with a stored share password hash. */
    public String newEvaluation(String teamId, UnaryOperator<EvaluationState.Builder> customize, String sharePasswordHash) {
        return insertEvaluation("eval_t_" + UUID.randomUUID().toString().replace("-", ""), teamId, customize, sharePasswordHash);
    }

    /** As {@link #newEvaluation(String, UnaryOperator, String)}, with a chosen id. */
    public String insertEvaluation(String id, String teamId, UnaryOperator<EvaluationState.Builder> customize,
                                   String sharePasswordHash) {
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.HOURS);
        EvaluationState state = customize.apply(EvaluationState.newBuilder()
                .setId(id).setTeamId(teamId).setName("Test evaluation").setDescription(null)
                .setType(EvaluationType.SxS).setStatus(EvaluationStatus.Draft)
                .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(sharePasswordHash != null)
                .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true)
                .setCreatedAt(created).setUpdatedAt(created).setVersion(1L)).build();
        jdbi.useHandle(h -> new EvaluationRepository().insert(h, new StoredEvaluation(state, sharePasswordHash)));
        return id;
    }

    /** A new evaluation of {@code teamId} with the defaults of {@link #newEvaluation(String, UnaryOperator)}. */
    public String newEvaluation(String teamId) {
        return newEvaluation(teamId, b -> b);
    }

    /** The evaluation row as stored (state and password hash), or empty. */
    public Optional<StoredEvaluation> storedEvaluation(String id) {
        return jdbi.withHandle(h -> new EvaluationRepository().lock(h, id));
    }

    /**
     * A new API key; returns its bearer token.
     *
     * @param expiresAt null for none
     * @param revokedAt null for an active key
     */
    public String newApiKey(String teamId, String role, List<String> scopes, Instant expiresAt, Instant revokedAt) {
        String keyId = "key_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ApiKeys.Minted minted = ApiKeys.mint(keyId, teamId, role, scopes);
        ApiKeyRecord record = new ApiKeyRecord(keyId, teamId, minted.record().secretHash(), role, scopes, expiresAt, revokedAt);
        jdbi.useHandle(h -> new ApiKeyRepository().insert(h, record, "test"));
        return minted.token();
    }

    public String newApiKey(String teamId, String role, String... scopes) {
        return newApiKey(teamId, role, List.of(scopes), null, null);
    }

    // ---- Kafka: what is on the topics ----

    /** A background reader of {@code topic} for the rest of the JVM. */
    public TopicTail tail(String topic) {
        return tails.computeIfAbsent(topic, t -> new TopicTail(namespace.bootstrapServers(), t, admin));
    }

    /** The record's value decoded with the project's own Confluent-wire-format deserializer. */
    public Object decode(ConsumerRecord<String, byte[]> record) {
        return avro.deserialize(record.topic(), record.headers(), record.value());
    }

    /** Every evaluation change event published so far for {@code evaluationId}, in order. */
    public List<EvaluationChanged> evaluationChanges(String evaluationId) {
        return tail(topics.changes(ResourceType.EVALUATION)).upToNow().stream()
                .filter(r -> evaluationId.equals(r.key())).map(r -> (EvaluationChanged) decode(r)).toList();
    }

    /** Waits (with a deadline) for the outcome of {@code commandId} on the results topic. */
    public CommandResult awaitResult(String commandId) {
        TopicTail results = tail(topics.commandResults());
        return pollUntil(() -> results.upToNow().stream().filter(r -> commandId.equals(r.key())).findFirst(),
                Optional::isPresent, Duration.ofSeconds(60)).map(r -> (CommandResult) decode(r)).orElseThrow();
    }


    // ---- the processor ----

    /** Stops the processor from taking new commands (commands then stay in flight); see {@link #resumeProcessor()}. */
    public void pauseProcessor() {
        MessageListenerContainer container = processorContainer();
        container.pause();
        pollUntil(container::isPauseRequested, paused -> paused, Duration.ofSeconds(30));
        pollUntil(container::isContainerPaused, paused -> paused, Duration.ofSeconds(30));
    }

    public void resumeProcessor() {
        processorContainer().resume();
    }

    private MessageListenerContainer processorContainer() {
        return apps.processor().getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("patchbay-commands");
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
