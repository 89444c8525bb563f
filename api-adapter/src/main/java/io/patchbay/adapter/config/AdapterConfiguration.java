package io.patchbay.adapter.config;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.adapter.AdapterProperties;
import io.patchbay.adapter.history.ChangeHistoryReader;
import io.patchbay.adapter.history.HistoryPages;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.adapter.resource.automations.AutomationApi;
import io.patchbay.adapter.resource.evaluations.EvaluationApi;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.config.PatchbayProperties;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.store.DatabaseHealthIndicator;
import io.patchbay.store.Store;

/**
 * Wires what the adapter's parts share: the store, the topics, the resource APIs and their history, the
 * adapter's meters, the executor of blocking work off the request and Kafka threads, and {@code db} health. The HTTP
 * edge is wired in {@link HttpConfiguration}, commands and their outcomes in {@link CommandConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class AdapterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdapterConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Jdbi jdbi(DataSource dataSource) {
        return Store.on(dataSource).jdbi();
    }

    @Bean
    Topics topics(PatchbayProperties patchbay) {
        return patchbay.topics();
    }

    @Bean
    KafkaAdmin.NewTopics patchbayTopics(Topics topics, PatchbayProperties patchbay) {
        return new KafkaAdmin.NewTopics(topics.newTopics(patchbay.topicPartitions()));
    }

    /** The adapter's own meters, tagged with the API serving each resource type. */
    @Bean
    AdapterMetrics patchbayMetrics(MeterRegistry registry, Topics topics, ResourceApiResolver resources) {
        Map<ResourceType, String> apis = new EnumMap<>(ResourceType.class);
        for (ResourceType type : ResourceType.values()) {
            apis.put(type, resources.resolve(type).api().name());
        }
        return new AdapterMetrics(registry, topics, apis);
    }

    @Bean
    AutomationApi automationApi(Jdbi jdbi) {
        return new AutomationApi(jdbi);
    }

    @Bean
    ResourceApiResolver resourceApis(Jdbi jdbi, AdapterProperties properties, AutomationApi automationApi) {
        return new ResourceApiResolver(List.of(new EvaluationApi(jdbi, properties.publicBaseUrl()), automationApi));
    }

    /**
     * Loads the ids of existing automations once the adapter is ready, on the answer executor, off the request path.
     * A failure (PostgreSQL not reachable yet) only leaves each automation's first PATCH to look its id up.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> automationIdsPreload(AutomationApi automationApi,
                                                                   ExecutorService answerExecutor) {
        return event -> answerExecutor.execute(() -> {
            try {
                log.info("remembered the ids of {} automations", automationApi.preloadIds());
            } catch (RuntimeException e) {
                log.warn("could not load the ids of existing automations; each is looked up on its first PATCH", e);
            }
        });
    }

    @Bean
    ChangeHistoryReader changeHistoryReader(Jdbi jdbi, Topics topics, PatchbayProperties patchbay) {
        return new ChangeHistoryReader(jdbi, topics, avroDeserializer(patchbay));
    }

    @Bean
    HistoryPages historyPages(AdapterProperties properties) {
        return new HistoryPages(properties.publicBaseUrl());
    }

    /** {@code db} health (readiness), in place of Spring Boot's: the same check, one log line per failure. */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DataSource dataSource) {
        return new DatabaseHealthIndicator(dataSource);
    }

    /**
     * Blocking work kept off the Kafka clients' threads and the request threads: what follows a PATCH's asynchronous
     * steps (reading the command log when the wait runs out, ending a claim's lease), re-reading an API key in use
     * before its cached record expires, and loading the automation ids once the adapter is ready.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService answerExecutor() {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "patchbay-answers-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The deserializer of patchbay's own Avro records (commands, outcomes, change events). */
    static ConfluentAvroDeserializer<Object> avroDeserializer(PatchbayProperties patchbay) {
        return ConfluentAvroDeserializer.specificForRegistry(patchbay.schemaRegistryUrl());
    }

}
