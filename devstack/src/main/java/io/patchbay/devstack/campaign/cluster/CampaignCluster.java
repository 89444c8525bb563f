package io.patchbay.devstack.campaign.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.faults.AppProcess;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.faults.FaultyProxy;
import io.patchbay.devstack.infra.FreePorts;
import io.patchbay.devstack.infra.KafkaBrokerProcess;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SchemaRegistryProcess;
import io.patchbay.schemas.Topics;
import io.patchbay.store.Store;

/**
 * Everything a campaign runs, each part a process of its own where a fault needs one: the schema registry, a
 * PostgreSQL with a data directory (restartable), a standalone KRaft broker (killable), a {@link FaultyProxy}
 * between the apps and the broker, two adapters and two processors from their executable jars, and a third
 * processor that joins and leaves. The harness itself talks to the broker directly, past the proxy.
 */
public final class CampaignCluster implements AutoCloseable {

    /**
     * @param partitions partitions of every topic
     * @param retention the processors' command-log retention and the adapters' idempotency retention
     * @param purgeInterval the processors' own purge interval
     * @param sessionTimeout the processors' consumer session timeout
     */
    public record Settings(int partitions, int resourcesPerType, Duration retention, Duration purgeInterval,
                           Duration sessionTimeout, Path directory) {
    }

    private static final Duration START = Duration.ofMinutes(10);
    private static final String IDEMPOTENCY_SECRET = "campaign-idempotency-secret";

    private final Settings settings;
    private final Topics topics = new Topics("campaign");
    private final List<AppProcess> processors = new ArrayList<>();
    private final List<AppProcess> adapters = new ArrayList<>();
    private SchemaRegistryProcess registry;
    private PostgresServer postgres;
    private KafkaBrokerProcess broker;
    private FaultyProxy proxy;
    private String jdbcUrl;
    private Jdbi jdbi;
    private FaultData.Seeded seeded;

    private CampaignCluster(Settings settings) {
        this.settings = settings;
    }

    /** Starts every part and waits until the apps report UP. */
    public static CampaignCluster start(Settings settings) {
        CampaignCluster cluster = new CampaignCluster(settings);
        try {
            cluster.startInfrastructure();
            cluster.startApps();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startInfrastructure() {
        Path directory = settings.directory();
        var registryStart = CompletableFuture.supplyAsync(() -> SchemaRegistryProcess.start(0, null,
                directory.resolve("schema-registry.log")));
        var postgresStart = CompletableFuture.supplyAsync(() -> PostgresServer.start(FreePorts.find(),
                directory.resolve("postgres")));
        int proxyPort = FreePorts.find();
        broker = KafkaBrokerProcess.start(directory.resolve("broker"), proxyPort);
        proxy = FaultyProxy.start(proxyPort, broker.proxiedListenerPort());
        postgres = postgresStart.join();
        registry = registryStart.join();
        jdbcUrl = postgres.createDatabase("campaign");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(PostgresServer.USER);
        dataSource.setConnectTimeout(5);
        jdbi = Store.on(dataSource).migrate().jdbi();
        seeded = FaultData.seed(jdbi, settings.resourcesPerType());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(topics.newTopics(settings.partitions()))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the campaign's topics", e);
        }
    }

    private void startApps() {
        for (int i = 0; i < 3; i++) {
            processors.add(AppProcess.create(AppProcess.App.PROCESSOR, "processor-" + i, processorProperties(),
                    settings.directory()));
        }
        for (int i = 0; i < 2; i++) {
            adapters.add(AppProcess.create(AppProcess.App.ADAPTER, "adapter-" + i, adapterProperties(),
                    settings.directory()));
        }
        List<AppProcess> first = List.of(processors.get(0), processors.get(1), adapters.get(0), adapters.get(1));
        ExecutorService launcher = Executors.newFixedThreadPool(first.size());
        try {
            // side by side: a first launch of each app makes its class-data archive first (ClassDataArchive)
            CompletableFuture.allOf(first.stream().map(app -> CompletableFuture.runAsync(app::launch, launcher))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            launcher.shutdown();
        }
        first.forEach(app -> app.awaitHealthy(START));
    }

    private Map<String, String> common() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + proxy.port());
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("patchbay.schema-registry-url", registry.url());
        properties.put("patchbay.topic-prefix", topics.prefix());
        properties.put("patchbay.topic-partitions", String.valueOf(settings.partitions()));
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }

    private Map<String, String> processorProperties() {
        Map<String, String> properties = common();
        properties.put("patchbay.processor.consumer-group", processorGroup());
        properties.put("patchbay.processor.retention", settings.retention().toSeconds() + "s");
        properties.put("patchbay.processor.purge-interval", settings.purgeInterval().toSeconds() + "s");
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", String.valueOf(settings.sessionTimeout().toMillis()));
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        return properties;
    }

    private Map<String, String> adapterProperties() {
        Map<String, String> properties = common();
        properties.put("patchbay.api.idempotency-secret", IDEMPOTENCY_SECRET);
        properties.put("patchbay.api.api-key-pepper", PatchbayApps.API_KEY_PEPPER);
        properties.put("patchbay.api.idempotency-retention", settings.retention().toSeconds() + "s");
        return properties;
    }

    public String processorGroup() {
        return topics.prefix() + "-processor";
    }

    /** Processors 0 and 1 run throughout (but for faults); 2 only joins and leaves. */
    public AppProcess processor(int index) {
        return processors.get(index);
    }

    public AppProcess adapter(int index) {
        return adapters.get(index);
    }

    public List<AppProcess> processors() {
        return List.copyOf(processors);
    }

    public List<AppProcess> adapters() {
        return List.copyOf(adapters);
    }

    public List<String> adapterUrls() {
        return adapters.stream().map(AppProcess::baseUrl).toList();
    }

    public KafkaBrokerProcess broker() {
        return broker;
    }

    /** Where producers that are "apps" connect: through the proxy. */
    public String proxiedBootstrapServers() {
        return "127.0.0.1:" + proxy.port();
    }

    public FaultyProxy proxy() {
        return proxy;
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
        return registry.url();
    }

    public FaultData.Seeded seeded() {
        return seeded;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        processors.forEach(AppProcess::close);
        adapters.forEach(AppProcess::close);
        if (proxy != null) {
            proxy.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                // already stopped by a fault
            }
        }
        if (registry != null) {
            registry.close();
        }
    }
}
