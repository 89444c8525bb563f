package io.patchbay.adapter.config;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

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
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.patchbay.adapter.AdapterProperties;
import io.patchbay.adapter.command.AnswerResponder;
import io.patchbay.adapter.command.CommandIds;
import io.patchbay.adapter.command.CommandPublisher;
import io.patchbay.adapter.command.CommandRecords;
import io.patchbay.adapter.command.CommandSubmitter;
import io.patchbay.adapter.command.CommandStatusJson;
import io.patchbay.adapter.command.CommandStatuses;
import io.patchbay.adapter.command.OutcomeWaiter;
import io.patchbay.adapter.health.KafkaHealthIndicator;
import io.patchbay.adapter.http.Traceparents;
import io.patchbay.adapter.idempotency.Fingerprints;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.config.ConsumerGroupSession;
import io.patchbay.schemas.config.PatchbayProperties;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SchemaWarmUp;
import io.patchbay.schemas.serde.SchemaWarmUpHealthIndicator;

/**
 * Wires commands and their outcomes: command ids and request fingerprints, the command serializer and its
 * schemas' warm-up, the command producer, the replies consumer ({@link OutcomeWaiter}), the submitter, command
 * statuses, and the {@code kafka} and {@code schemas} health.
 */
@Configuration(proxyBeanMethods = false)
public class CommandConfiguration {

    /** Background retries of the start-up schema registration: first wait, doubled up to the cap. */
    private static final Duration SCHEMA_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration SCHEMA_RETRY_MAX_WAIT = Duration.ofSeconds(30);

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
     * group (cooperative-sticky, so a joining instance moves few leases, and a
     * {@link ConsumerGroupSession} of 10 s with a 1 s heartbeat), committing no offsets.
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
        ConsumerGroupSession.applyDefault(config);
        OutcomeWaiter waiter = new OutcomeWaiter(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                AdapterConfiguration.avroDeserializer(patchbay), topics.commandReplies(), properties.commandWait().multipliedBy(2).plusSeconds(30),
                Duration.ofSeconds(30));
        FunctionCounter.builder("patchbay.adapter.replies", waiter, OutcomeWaiter::decoded).tag("decoded", "true")
                .description("Replies decoded: outcomes of commands this instance waited for").register(meters);
        FunctionCounter.builder("patchbay.adapter.replies", waiter, OutcomeWaiter::skipped).tag("decoded", "false")
                .description("Replies read but not decoded").register(meters);
        return waiter;
    }

    @Bean
    CommandSubmitter commandSubmitter(Jdbi jdbi, Topics topics, Producer<String, Object> commandProducer,
                                      OutcomeWaiter waiter, AdapterProperties properties, PatchbayProperties patchbay,
                                      Clock clock,
                                      ExecutorService answerExecutor, CommandIds ids, AdapterMetrics metrics,
                                      Traceparents traceparents) {
        return new CommandSubmitter(jdbi, topics, new CommandPublisher(commandProducer, properties.publishTimeout(), metrics),
                waiter, AdapterConfiguration.avroDeserializer(patchbay), properties.commandWait(),
                properties.idempotencyRetention(), clock, answerExecutor, ids, traceparents::current);
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
                AdapterConfiguration.avroDeserializer(patchbay), topics, properties.publishTimeout(), Duration.ofSeconds(5));
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
}
