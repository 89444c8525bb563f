package io.patchbay.devstack.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.EmbeddedInfrastructure;
import io.patchbay.devstack.infra.KafkaBroker;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.Topics;
import io.patchbay.store.Store;

/**
 * Everything one fault run needs: a broker, a database and the registry (the JVM's shared ones, or a broker or
 * PostgreSQL of its own when the run restarts it), topics and seeded data under a fresh prefix, adapters in
 * this JVM, and processors (and adapters a run kills) as child JVMs. Closing it stops what it started.
 */
public final class FaultStack implements AutoCloseable {

    /**
     * @param ownBroker a broker only this run uses (the run stops it)
     * @param ownPostgres a PostgreSQL only this run uses (the run stops it)
     * @param adapterOverrides adapter properties, e.g. {@code patchbay.api.command-wait}
     */
    public record Config(String name, boolean ownBroker, boolean ownPostgres, int partitions, int resourcesPerType,
                         int adapters, Map<String, String> adapterOverrides) {
    }

    private final Config config;
    private final KafkaBroker broker;
    private final PostgresServer postgres;
    private final String registryUrl;
    private final String jdbcUrl;
    private final Topics topics;
    private final Jdbi jdbi;
    private final Path logDirectory;
    private final FaultData.Seeded seeded;
    private final List<ConfigurableApplicationContext> adapters = new ArrayList<>();
    private final List<AppProcess> childJvms = new ArrayList<>();
    private final List<ConfigurableApplicationContext> inProcessProcessors = new ArrayList<>();

    private FaultStack(Config config, KafkaBroker broker, PostgresServer postgres, String registryUrl) {
        this.config = config;
        this.broker = broker;
        this.postgres = postgres;
        this.registryUrl = registryUrl;
        String name = config.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_" + ProcessHandle.current().pid()
                + "_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        this.jdbcUrl = postgres.createDatabase(name);
        this.topics = new Topics("faults-" + name.replace('_', '-'));
        this.logDirectory = Path.of(System.getProperty("java.io.tmpdir"), "fault-logs", name);
        broker.createTopics(topics.all(), config.partitions());
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(PostgresServer.USER);
        this.jdbi = Store.on(dataSource).migrate().jdbi();
        this.seeded = FaultData.seed(jdbi, config.resourcesPerType());
    }

    public static FaultStack start(Config config) {
        EmbeddedInfrastructure shared = SharedInfrastructure.get();
        KafkaBroker broker = config.ownBroker() ? KafkaBroker.start() : shared.kafka();
        PostgresServer postgres;
        try {
            postgres = config.ownPostgres()
                    ? PostgresServer.start(FreePorts.find(), Files.createTempDirectory("fault-postgres"))
                    : shared.postgres();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultStack stack = new FaultStack(config, broker, postgres, shared.registry().url());
        try {
            for (int i = 0; i < config.adapters(); i++) {
                stack.adapters.add(PatchbayApps.startAdapter(stack.settings(), config.adapterOverrides()));
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private PatchbayApps.Settings settings() {
        return new PatchbayApps.Settings(broker.bootstrapServers(), jdbcUrl, registryUrl, topics.prefix(), 0, null);
    }

    /** The consumer group of this run's processors. */
    public String processorGroup() {
        return topics.prefix() + "-processor";
    }

    /** Starts a processor in a JVM of its own, and waits until it reports UP. */
    public AppProcess startProcessor(String name) {
        return startProcessor(name, Map.of("spring.kafka.consumer.properties.session.timeout.ms", "6000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000"));
    }

    /** As {@link #startProcessor}, with the processor's own consumer session instead of the fault runs' 6 s. */
    public AppProcess startProcessorWithDefaultSession(String name) {
        return startProcessor(name, Map.of());
    }

    private AppProcess startProcessor(String name, Map<String, String> consumer) {
        Map<String, String> properties = childProperties();
        properties.put("patchbay.processor.consumer-group", processorGroup());
        properties.putAll(consumer);
        return startChild(AppProcess.App.PROCESSOR, name, properties);
    }

    /**
     * Starts an adapter in a JVM of its own, so that the run can kill it, and waits until it reports UP; the stack's
     * adapters ({@link Config#adapters()}) run in this JVM.
     */
    public AppProcess startAdapterProcess(String name) {
        Map<String, String> properties = childProperties();
        properties.put("patchbay.api.idempotency-secret", PatchbayApps.IDEMPOTENCY_SECRET);
        properties.put("patchbay.api.api-key-pepper", PatchbayApps.API_KEY_PEPPER);
        return startChild(AppProcess.App.ADAPTER, name, properties);
    }

    private Map<String, String> childProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("patchbay.schema-registry-url", registryUrl);
        properties.put("patchbay.topic-prefix", topics.prefix());
        properties.put("patchbay.topic-partitions", String.valueOf(config.partitions()));
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }

    private AppProcess startChild(AppProcess.App app, String name, Map<String, String> properties) {
        AppProcess process = AppProcess.start(app, name, properties, logDirectory);
        childJvms.add(process);
        process.awaitHealthy(java.time.Duration.ofSeconds(120));
        return process;
    }

    /** Starts a processor in this JVM (cheaper, when the run does not kill it). */
    public ConfigurableApplicationContext startInProcessProcessor() {
        return startInProcessProcessor(Map.of());
    }

    /** As {@link #startInProcessProcessor()}, with {@code properties} over the processor's own. */
    public ConfigurableApplicationContext startInProcessProcessor(Map<String, String> properties) {
        ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings(), properties);
        inProcessProcessors.add(processor);
        return processor;
    }

    /** A driver sending {@code plan} to this stack's topics and adapters. */
    public StreamDriver driver(List<CommandPlan.Planned> plan, int ratePerSecond, int httpConcurrency) {
        return new StreamDriver(plan, broker.bootstrapServers(), registryUrl, topics, adapterUrls(), ratePerSecond,
                httpConcurrency);
    }

    public StreamVerifier verifier() {
        return new StreamVerifier(new StreamVerifier.Target(jdbi, broker.bootstrapServers(), registryUrl, topics,
                processorGroup()));
    }

    public List<String> adapterUrls() {
        return adapters.stream().map(a -> "http://127.0.0.1:" + PatchbayApps.localPort(a)).toList();
    }

    public KafkaBroker broker() {
        return broker;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Topics topics() {
        return topics;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public FaultData.Seeded seeded() {
        return seeded;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /** How many commands the processors have decided so far. */
    public int decided() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from command_log").mapTo(Integer.class).one());
    }

    @Override
    public void close() {
        childJvms.forEach(AppProcess::close);
        inProcessProcessors.forEach(ConfigurableApplicationContext::close);
        adapters.forEach(ConfigurableApplicationContext::close);
        if (config.ownBroker()) {
            broker.close();
        }
        if (config.ownPostgres()) {
            postgres.close();
            try {
                FileSystemUtils.deleteRecursively(postgres.dataDirectory());
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the stack's PostgreSQL data " + postgres.dataDirectory(), e);
            }
        }
    }
}
