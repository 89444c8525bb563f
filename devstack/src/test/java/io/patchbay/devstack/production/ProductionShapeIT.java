package io.patchbay.devstack.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.GuardedProcess;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.devstack.infra.ThisJava;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;

/**
 * The production shape of {@code docker-compose.yml}, started for real without Docker: a standalone KRaft broker
 * process (configured from the compose file's {@code kafka} environment), a PostgreSQL server process (role, password
 * and database from the {@code postgres} environment, password authentication on), the registry (the Apicurio runner
 * stands in for the Confluent image), and the processor's and adapter's executable jars as separate processes with
 * exactly the environment compose gives them. Only what a container network provides differently is changed: the
 * service addresses ({@code kafka:9092}, {@code postgres:5432}, {@code schema-registry:8081}) point at the processes
 * here, and each app gets a free {@code SERVER_PORT} (the adapter a free {@code MANAGEMENT_SERVER_PORT} too, where its
 * health is asked) because they share one host. Then {@code patchbay-admin}, run as
 * the compose file's {@code admin} service would be, provisions a team, a key and resources; PATCHes through both APIs
 * must reach the change topics.
 *
 * <p>So an environment entry an app would refuse (a bad value, a missing secret) fails the start here, and one it
 * would ignore (a misspelled name) fails the documented-settings check.
 */
class ProductionShapeIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SERVICE_ADDRESS = Pattern.compile("(?<![\\w.-])(kafka|postgres|schema-registry):\\d+");
    private static final Duration START = Duration.ofMinutes(4);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void theComposeConfigurationRunsAsSeparateProcessesProvisionedByPatchbayAdmin() throws Exception {
        long begin = System.nanoTime();
        ComposeFile compose = ComposeFile.read(ROOT.resolve("docker-compose.yml"),
                Map.of("PATCHBAY_IDEMPOTENCY_SECRET", UUID.randomUUID().toString()));
        DocumentedSettings documented = DocumentedSettings.fromReadme(ROOT.resolve("README.md"));
        assertThat(documented.undocumented(compose.environment("processor").keySet(), "processor")).isEmpty();
        assertThat(documented.undocumented(compose.environment("adapter").keySet(), "adapter")).isEmpty();

        PostgresServer postgres = close(PostgresServer.start(0, dir.resolve("postgres")));
        createDatabase(postgres, compose.environment("postgres"));
        SchemaRegistryProcess registry = close(SchemaRegistryProcess.start(0, null, dir.resolve("registry.log")));
        int kafkaPort = FreePorts.find();
        int controllerPort = FreePorts.find();
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("http://schema-registry:8081", registry.url());
        addresses.put("kafka:9092", "127.0.0.1:" + kafkaPort);
        addresses.put("kafka:9093", "127.0.0.1:" + controllerPort);
        addresses.put("://:9092", "://127.0.0.1:" + kafkaPort);
        addresses.put("://:9093", "://127.0.0.1:" + controllerPort);
        addresses.put("postgres:5432", "127.0.0.1:" + postgres.port());

        Map<String, String> kafkaEnvironment = compose.environment("kafka");
        Map<String, String> brokerProperties = StandaloneKafka.properties(local(kafkaEnvironment, addresses));
        brokerProperties.put("log.dirs", dir.resolve("kafka-data").toString());
        StandaloneKafka kafka = close(StandaloneKafka.start(brokerProperties, kafkaEnvironment.get("CLUSTER_ID"),
                "127.0.0.1:" + kafkaPort, dir.resolve("kafka")));
        System.out.printf("PRODUCTION-SHAPE infrastructure up in %d s: broker %s, PostgreSQL 127.0.0.1:%d, registry %s%n",
                seconds(begin), kafka.bootstrapServers(), postgres.port(), registry.url());

        int processorPort = FreePorts.find();
        GuardedProcess processor = close(app("processor", "patchbay.processor.exec-jar",
                with(local(compose.environment("processor"), addresses), "SERVER_PORT", processorPort)));
        int adapterPort = FreePorts.find();
        int adapterManagementPort = FreePorts.find();
        assertThat(compose.environment("adapter")).containsKey("MANAGEMENT_SERVER_PORT");
        GuardedProcess adapter = close(app("adapter", "patchbay.adapter.exec-jar",
                with(with(local(compose.environment("adapter"), addresses), "SERVER_PORT", adapterPort),
                        "MANAGEMENT_SERVER_PORT", adapterManagementPort)));
        processor.awaitReady(START, () -> healthy(processorPort));
        adapter.awaitReady(START, () -> healthy(adapterManagementPort));
        System.out.printf("PRODUCTION-SHAPE processor and adapter healthy after %d s (logs: %s, %s)%n", seconds(begin),
                processor.logFile(), adapter.logFile());

        Map<String, String> adminEnvironment = local(compose.environment("admin"), addresses);
        Path imports = Files.createDirectories(dir.resolve("import"));
        Files.write(imports.resolve("resources.jsonl"), List.of(
                "{\"kind\":\"evaluator\",\"team\":\"team_prod\",\"id\":\"evl_prod\",\"evaluator_slug\":\"relevance\",\"name\":\"Relevance\"}",
                "{\"kind\":\"automation\",\"team\":\"team_prod\",\"id\":\"auto_prod\",\"automation_slug\":\"monitor\","
                        + "\"name\":\"Monitor\",\"evaluator_ids\":[\"evl_prod\"],\"configuration\":{\"sampling_rate\":0.5}}",
                "{\"kind\":\"evaluation\",\"team\":\"team_prod\",\"id\":\"eval_prod\",\"name\":\"Checkout\",\"type\":\"SxS\"}"));
        assertThat(admin(adminEnvironment, imports, "teams", "create", "team_prod", "--name", "Production").stdout())
                .isEqualTo("created team team_prod\n");
        String token = admin(adminEnvironment, imports, "keys", "mint", "--team", "team_prod", "--role", "editor",
                "--scope", "evaluations:*,automations:*", "--id", "prod_editor").stdout().strip();
        assertThat(admin(adminEnvironment, imports, "resources", "import", "resources.jsonl").stdout())
                .isEqualTo("import: 3 line(s): 3 created, 0 unchanged, 0 failed; written\n");

        HttpResponse<String> evaluation = patch(adapterPort, "/api/v1/evaluations/eval_prod", token, "{\"name\":\"Checkout v2\"}");
        HttpResponse<String> automation = patch(adapterPort, "/api/automations/auto_prod/", token, "{\"is_enabled\":false}");

        assertThat(evaluation.statusCode()).as(evaluation.body()).isEqualTo(200);
        assertThat(evaluation.body()).contains("\"name\":\"Checkout v2\"");
        assertThat(automation.statusCode()).as(automation.body()).isEqualTo(200);
        assertThat(automation.body()).contains("\"is_enabled\":false");
        List<Object> events = changeEvents(kafka.bootstrapServers(), registry.url(), 2);
        EvaluationChanged evaluationChanged = events.stream().filter(EvaluationChanged.class::isInstance)
                .map(EvaluationChanged.class::cast).findFirst().orElseThrow();
        AutomationChanged automationChanged = events.stream().filter(AutomationChanged.class::isInstance)
                .map(AutomationChanged.class::cast).findFirst().orElseThrow();
        assertThat(evaluationChanged.getAfter().getName()).isEqualTo("Checkout v2");
        assertThat(evaluationChanged.getVersion()).isEqualTo(2L);
        assertThat(evaluationChanged.getActor().getApiKeyId()).isEqualTo("prod_editor");
        assertThat(automationChanged.getAfter().getIsEnabled()).isFalse();
        assertThat(automationChanged.getVersion()).isEqualTo(2L);
        assertThat(admin(adminEnvironment, imports, "verify", "topic", "patchbay.evaluations.changes").stdout())
                .as("patchbay-admin finds the broker in its compose environment")
                .endsWith("verified topic patchbay.evaluations.changes: 1 resources, 1 events: intact\n");
        assertThat(admin(adminEnvironment, imports, "replay", "--resource", "eval_prod", "--topic", "prod.catch-up").stdout())
                .as("patchbay-admin finds the registry and the processor's key format in its compose environment")
                .startsWith("replayed 1 event");
        System.out.printf("PRODUCTION-SHAPE admin provisioned team_prod, key prod_editor and 3 resources; PATCH evaluation %d,"
                + " PATCH automation %d; change events: %s v%d %s, %s v%d %s; %d s in all%n", evaluation.statusCode(),
                automation.statusCode(), evaluationChanged.getResourceId(), evaluationChanged.getVersion(),
                evaluationChanged.getChangedFields(), automationChanged.getResourceId(), automationChanged.getVersion(),
                automationChanged.getChangedFields(), seconds(begin));
    }

    /**
     * {@code environment} with the compose service addresses replaced by the processes here; fails on an address of a
     * service this test does not run.
     */
    private static Map<String, String> local(Map<String, String> environment, Map<String, String> addresses) {
        Map<String, String> local = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            String rewritten = value;
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                rewritten = rewritten.replace(address.getKey(), address.getValue());
            }
            assertThat(SERVICE_ADDRESS.matcher(rewritten).find()).as("%s=%s names a service this test does not run", name,
                    value).isFalse();
            local.put(name, rewritten);
        });
        return local;
    }

    private static Map<String, String> with(Map<String, String> environment, String name, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        copy.put(name, value.toString());
        return copy;
    }

    /** The role and database the postgres image creates from its environment, with password authentication. */
    private static void createDatabase(PostgresServer postgres, Map<String, String> environment) throws Exception {
        String user = environment.get("POSTGRES_USER");
        String password = environment.get("POSTGRES_PASSWORD");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("create role \"" + user + "\" login superuser password '" + password.replace("'", "''") + "'");
            statement.execute("create database \"" + environment.get("POSTGRES_DB") + "\" owner \"" + user + "\"");
            Files.writeString(Path.of(query(statement, "show hba_file")), String.join("\n",
                    "local all all trust",
                    "host all " + PostgresServer.USER + " 127.0.0.1/32 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            statement.execute("select pg_reload_conf()");
        }
    }

    private static String query(Statement statement, String sql) throws Exception {
        var rows = statement.executeQuery(sql);
        rows.next();
        return rows.getString(1);
    }

    private GuardedProcess app(String name, String jarProperty, Map<String, String> environment) {
        return GuardedProcess.start(name, List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + dir, "-jar", jar(jarProperty)), environment, dir, dir.resolve(name + ".log"), false);
    }

    private GuardedProcess.Exit admin(Map<String, String> environment, Path workingDirectory, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", jar("patchbay.admin.exec-jar")));
        command.addAll(List.of(args));
        GuardedProcess.Exit exit = GuardedProcess.start("admin " + args[0] + " " + args[1], command, environment,
                workingDirectory, dir.resolve("admin.log"), true).awaitExit(Duration.ofMinutes(2));
        assertThat(exit.status()).as("patchbay-admin %s exited with %d; see %s", String.join(" ", args), exit.status(),
                dir.resolve("admin.log")).isZero();
        return exit;
    }

    private static String jar(String property) {
        String jar = System.getProperty(property);
        assertThat(jar).as("system property %s (set by the build)", property).isNotNull();
        assertThat(Path.of(jar)).as("the executable jar; build it with ./mvnw -B -DskipTests package").isRegularFile();
        return jar;
    }

    private static String java() {
        return ThisJava.executable().toString();
    }

    private boolean healthy(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private HttpResponse<String> patch(int port, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls both change topics from the beginning until {@code count} events arrived (deadline 60 s). */
    private static List<Object> changeEvents(String bootstrapServers, String registryUrl, int count) {
        ConfluentAvroDeserializer<Object> avro = ConfluentAvroDeserializer.specificForRegistry(registryUrl);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Object> events = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(), avro)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (ResourceType type : ResourceType.values()) {
                String topic = Topics.DEFAULT.changes(type);
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (events.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(record.value());
                }
            }
        }
        return events;
    }

    private <T extends AutoCloseable> T close(T resource) {
        started.add(0, resource);
        return resource;
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }

    @AfterEach
    void stopEverything() {
        for (AutoCloseable resource : started) {
            try {
                resource.close();
            } catch (Exception e) {
                System.out.println("PRODUCTION-SHAPE could not stop " + resource + ": " + e);
            }
        }
    }
}
