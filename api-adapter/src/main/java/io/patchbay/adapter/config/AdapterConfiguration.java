package io.patchbay.adapter.config;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.kafka.core.KafkaAdmin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.patchbay.adapter.AdapterProperties;
import io.patchbay.adapter.auth.ApiKeyAuthenticator;
import io.patchbay.adapter.auth.ApiKeyStore;
import io.patchbay.adapter.auth.FailedAuthentications;
import io.patchbay.adapter.command.AnswerResponder;
import io.patchbay.adapter.command.CommandIds;
import io.patchbay.adapter.command.CommandPublisher;
import io.patchbay.adapter.command.CommandRecords;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.CommandStatusJson;
import io.patchbay.adapter.command.CommandStatuses;
import io.patchbay.adapter.command.OutcomeWaiter;
import io.patchbay.adapter.health.KafkaHealthIndicator;
import io.patchbay.adapter.history.ChangeHistoryReader;
import io.patchbay.adapter.history.HistoryPages;
import io.patchbay.adapter.http.ApiExceptionHandler;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.http.RequestShape;
import io.patchbay.adapter.http.TraceRefusal;
import io.patchbay.adapter.http.TraceResponse;
import io.patchbay.adapter.http.Traceparents;
import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.adapter.resource.automations.AutomationApi;
import io.patchbay.adapter.resource.evaluations.EvaluationApi;
import io.patchbay.adapter.web.DeferredAnswers;
import io.patchbay.adapter.web.InlineAnswers;
import io.patchbay.adapter.web.PatchAdmission;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.config.PatchbayProperties;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SchemaWarmUp;
import io.patchbay.schemas.serde.SchemaWarmUpHealthIndicator;
import io.patchbay.store.DatabaseHealthIndicator;
import io.patchbay.store.Store;
import io.patchbay.store.auth.ApiKeyHasher;

/** Wires the adapter: store (read side and claims), serdes, publisher, outcome waiter, HTTP helpers. */
@Configuration(proxyBeanMethods = false)
public class AdapterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdapterConfiguration.class);

    /** Background retries of the start-up schema registration: first wait, doubled up to the cap. */
    private static final Duration SCHEMA_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration SCHEMA_RETRY_MAX_WAIT = Duration.ofSeconds(30);

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

    @Bean
    FilterRegistrationBean<RequestIds> requestIds() {
        FilterRegistrationBean<RequestIds> registration = new FilterRegistrationBean<>(new RequestIds());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * TRACE reaches the application (the container would answer a bare 405 without X-Request-Id), where
     * {@link TraceRefusal} refuses it like any other method not served; nothing ever echoes a request.
     */
    @Bean
    TomcatConnectorCustomizer traceReachesTheApplication() {
        return connector -> connector.setAllowTrace(true);
    }

    @Bean
    FilterRegistrationBean<TraceRefusal> traceRefusal() {
        FilterRegistrationBean<TraceRefusal> registration = new FilterRegistrationBean<>(new TraceRefusal());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
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

    /** The W3C {@code traceparent} of the span in scope: the request's server span (Micrometer Tracing over OpenTelemetry). */
    @Bean
    Traceparents traceparents(Tracer tracer) {
        return new Traceparents(tracer);
    }

    /**
     * Every answer names its trace in a {@code traceparent} header; after Spring's observation filter
     * ({@code HIGHEST_PRECEDENCE + 1}), which opens the request's span.
     */
    @Bean
    FilterRegistrationBean<TraceResponse> traceResponse(Traceparents traceparents) {
        FilterRegistrationBean<TraceResponse> registration = new FilterRegistrationBean<>(new TraceResponse(traceparents));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestShape> requestShape() {
        FilterRegistrationBean<RequestShape> registration = new FilterRegistrationBean<>(new RequestShape());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    ApiKeyHasher apiKeyHasher(AdapterProperties properties) {
        try {
            return ApiKeyHasher.fromSettings(properties.apiKeyPepper(), properties.idempotencySecret());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("patchbay.api.api-key-pepper: " + e.getMessage(), e);
        }
    }

    @Bean
    Guard guard(Jdbi jdbi, AdapterProperties properties, Clock clock, ApiKeyHasher apiKeyHasher, AdapterMetrics metrics,
                ExecutorService answerExecutor) {
        FailedAuthentications failures = new FailedAuthentications(properties.failedAuthentication().limits(), System::nanoTime);
        return new Guard(new ApiKeyAuthenticator(ApiKeyStore.of(jdbi), apiKeyHasher, failures,
                properties.apiKeyCacheTtl(), clock, System::nanoTime, answerExecutor),
                properties.rateLimit().limiter(clock), metrics);
    }

    @Bean
    JsonBodies jsonBodies(AdapterProperties properties) {
        return new JsonBodies(properties.maxBodyBytes());
    }

    @Bean
    Fingerprints fingerprints(AdapterProperties properties) {
        return new Fingerprints(idempotencySecret(properties));
    }

    /** Command ids keyed with a key derived from the idempotency secret, which every instance shares. */
    @Bean
    CommandIds commandIds(AdapterProperties properties) {
        return new CommandIds(CommandIds.derive(idempotencySecret(properties)));
    }

    private static String idempotencySecret(AdapterProperties properties) {
        String secret = properties.idempotencySecret();
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("patchbay.api.idempotency-secret is required (HMAC key of request fingerprints"
                    + " and command ids)");
        }
        return secret;
    }

    /** Finds undecided commands on the commands topics, for their status (one consumer, no group). */
    @Bean(destroyMethod = "close")
    CommandRecords commandRecords(KafkaProperties kafka, AdapterProperties properties, PatchbayProperties patchbay,
                                  Topics topics) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "patchbay-adapter-command-records-" + java.util.UUID.randomUUID());
        return new CommandRecords(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                avroDeserializer(patchbay), topics, properties.publishTimeout(), Duration.ofSeconds(5));
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

    @Bean
    CommandStatusJson commandStatusJson(ResourceApiResolver resources) {
        return new CommandStatusJson(resources);
    }

    @Bean
    AnswerResponder answerResponder(CommandStatusJson statusJson, AdapterProperties properties, AdapterMetrics metrics) {
        return new AnswerResponder(statusJson, properties.publicBaseUrl(), metrics);
    }

    @Bean
    CommandStatuses commandStatuses(Jdbi jdbi, ResourceApiResolver resources, CommandIds ids, CommandRecords records,
                                    CommandSubmitter submitter, CommandStatusJson statusJson, AdapterProperties properties,
                                    Clock clock) {
        return new CommandStatuses(jdbi, resources, ids, records, submitter, statusJson,
                properties.idempotencyRetention(), clock);
    }

    /** Writes commands; shared with {@link #schemaWarmUp}, which caches the command schemas' ids in it at start. */
    @Bean
    ConfluentAvroSerializer<Object> commandSerializer(PatchbayProperties patchbay) {
        return ConfluentAvroSerializer.forRegistry(patchbay.schemaRegistryUrl());
    }

    /**
     * Registers every resource type's command schema before the adapter accepts requests, so the first PATCHes find
     * the id cached instead of registering it on many request threads at once (a race the registry may answer with
     * 500); when the registry cannot be reached, keeps trying in the background and {@code schemas} health (readiness)
     * is DOWN until it succeeds.
     */
    @Bean(destroyMethod = "close")
    SchemaWarmUp schemaWarmUp(ConfluentAvroSerializer<Object> commandSerializer, ResourceApiResolver resources,
                              Topics topics) {
        return SchemaWarmUp.start(resources.all().stream()
                .map(api -> new SchemaWarmUp.WrittenSchema(commandSerializer, topics.commands(api.type()), api.commandSchema()))
                .toList(), SCHEMA_RETRY_WAIT, SCHEMA_RETRY_MAX_WAIT);
    }

    @Bean
    SchemaWarmUpHealthIndicator schemasHealthIndicator(SchemaWarmUp schemaWarmUp) {
        return new SchemaWarmUpHealthIndicator(schemaWarmUp);
    }

    /** {@code db} health (readiness), in place of Spring Boot's: the same check, one log line per failure. */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DataSource dataSource) {
        return new DatabaseHealthIndicator(dataSource);
    }

    @Bean(destroyMethod = "close")
    Producer<String, Object> commandProducer(KafkaProperties kafka, AdapterProperties properties,
                                                 ConfluentAvroSerializer<Object> commandSerializer) {
        return new KafkaProducer<>(commandProducerConfig(kafka.buildProducerProperties(), properties),
                new StringSerializer(), commandSerializer);
    }

    /**
     * The command producer's settings over Boot's: idempotent, acknowledged by every in-sync replica, lingering
     * {@code patchbay.api.command-linger}, and giving its verdict within the publish timeout. A failure is still
     * ambiguous (the broker may have appended the record before it failed): CommandSubmitter keeps the
     * Idempotency-Key claim and a retry re-publishes its id. Kafka requires {@code delivery.timeout.ms ≥ linger.ms +
     * request.timeout.ms}, so the request timeout is what the linger leaves of the publish timeout.
     */
    static Map<String, Object> commandProducerConfig(Map<String, Object> boot, AdapterProperties properties) {
        Map<String, Object> config = new HashMap<>(boot);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "patchbay-adapter-commands");
        long publishMillis = properties.publishTimeout().toMillis();
        long lingerMillis = properties.commandLinger().toMillis();
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) lingerMillis);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) publishMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, publishMillis - lingerMillis - 1));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishMillis);
        return config;
    }

    /** The command producer's own metrics ({@code kafka.producer.*}: record errors, request latency), bound by Boot. */
    @Bean
    KafkaClientMetrics commandProducerMetrics(Producer<String, Object> commandProducer) {
        return new KafkaClientMetrics(commandProducer);
    }

    /**
     * Replies of this instance's commands: a partition of the replies topic leased through the adapters' consumer
     * group (cooperative-sticky, so a joining instance moves few leases), committing no offsets.
     */
    @Bean
    OutcomeWaiter outcomeWaiter(KafkaProperties kafka, AdapterProperties properties, PatchbayProperties patchbay,
                                Topics topics, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, patchbay.topicPrefix() + "-adapter-replies");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "patchbay-adapter-replies-" + java.util.UUID.randomUUID());
        OutcomeWaiter waiter = new OutcomeWaiter(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                avroDeserializer(patchbay), topics.commandReplies(), properties.commandWait().multipliedBy(2).plusSeconds(30),
                Duration.ofSeconds(30));
        FunctionCounter.builder("patchbay.adapter.replies", waiter, OutcomeWaiter::decoded).tag("decoded", "true")
                .description("Replies decoded: outcomes of commands this instance waited for").register(meters);
        FunctionCounter.builder("patchbay.adapter.replies", waiter, OutcomeWaiter::skipped).tag("decoded", "false")
                .description("Replies read but not decoded").register(meters);
        return waiter;
    }

    @Bean(destroyMethod = "close")
    Admin healthAdmin(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put("client.id", "patchbay-adapter-health");
        return Admin.create(config);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(Admin healthAdmin, OutcomeWaiter outcomeWaiter) {
        return new KafkaHealthIndicator(healthAdmin, outcomeWaiter, Duration.ofSeconds(3));
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

    @Bean
    CommandSubmitter commandSubmitter(Jdbi jdbi, Topics topics, Producer<String, Object> commandProducer,
                                      OutcomeWaiter waiter, AdapterProperties properties, PatchbayProperties patchbay,
                                      Clock clock,
                                      ExecutorService answerExecutor, CommandIds ids, AdapterMetrics metrics,
                                      Traceparents traceparents) {
        return new CommandSubmitter(jdbi, topics, new CommandPublisher(commandProducer, properties.publishTimeout(), metrics),
                waiter, avroDeserializer(patchbay), properties.commandWait(),
                properties.idempotencyRetention(), clock, answerExecutor, ids, traceparents::current);
    }

    /**
     * PATCH answers ready at once, and {@code Prefer: respond-async} 202s ready within {@code patchbay.api.inline-wait},
     * on the servlet thread, at most half of Tomcat's threads waiting at once, so that waiting requests never exhaust the pool; counted by
     * {@code patchbay.adapter.patch.answers{thread=servlet|async}}.
     */
    @Bean
    InlineAnswers inlineAnswers(AdapterProperties properties, MeterRegistry meters,
                                @Value("${server.tomcat.threads.max:200}") int servletThreads) {
        InlineAnswers answers = new InlineAnswers(properties.inlineWait(), Math.max(1, servletThreads / 2));
        FunctionCounter.builder("patchbay.adapter.patch.answers", answers, InlineAnswers::inline).tag("thread", "servlet")
                .description("PATCH answers given on the request's servlet thread").register(meters);
        FunctionCounter.builder("patchbay.adapter.patch.answers", answers, InlineAnswers::deferred).tag("thread", "async")
                .description("PATCH answers given as an asynchronous response (not ready within the inline wait)").register(meters);
        return answers;
    }

    /**
     * The bound on pending PATCH requests ({@code patchbay.api.max-pending}), with the gauge
     * {@code patchbay.adapter.patches.pending} and the count of 503s over it, {@code patchbay.adapter.patches.busy}.
     */
    @Bean
    PatchAdmission patchAdmission(AdapterProperties properties, MeterRegistry meters) {
        PatchAdmission admission = new PatchAdmission(properties.maxPending());
        Gauge.builder("patchbay.adapter.patches.pending", admission, PatchAdmission::pending)
                .description("PATCH requests admitted and not answered yet").register(meters);
        FunctionCounter.builder("patchbay.adapter.patches.busy", admission, PatchAdmission::refused)
                .description("PATCH requests refused 503 because patchbay.api.max-pending were pending").register(meters);
        return admission;
    }

    /**
     * PATCH answers not ready within the inline wait, written by their completion. The asynchronous response's limit
     * outlasts the longest answer: the publish verdict (publish timeout plus the producer's grace) and the wait budget.
     */
    @Bean
    DeferredAnswers deferredAnswers(ApiExceptionHandler errors, AdapterProperties properties,
                                    ObservationRegistry observations) {
        return new DeferredAnswers(errors, properties.publishTimeout().plus(properties.commandWait()).plusSeconds(60),
                observations);
    }

    private static ConfluentAvroDeserializer<Object> avroDeserializer(PatchbayProperties patchbay) {
        return ConfluentAvroDeserializer.specificForRegistry(patchbay.schemaRegistryUrl());
    }
}
