package io.patchbay.processor.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.patchbay.processor.ProcessorProperties;
import io.patchbay.processor.application.CommandBatchProcessor;
import io.patchbay.processor.application.ReplyRoutes;
import io.patchbay.processor.health.KafkaHealthIndicator;
import io.patchbay.processor.history.WriterSchemaBackfillAtStart;
import io.patchbay.processor.metrics.ConsumerMetrics;
import io.patchbay.processor.metrics.ProcessorMetrics;
import io.patchbay.processor.retention.GroupProgress;
import io.patchbay.processor.retention.RetentionPurger;
import io.patchbay.processor.tracing.MicrometerCommandTracing;
import io.patchbay.processor.transport.CommandBatchListener;
import io.patchbay.processor.transport.OutcomeKeySerializer;
import io.patchbay.processor.transport.OutcomePipeline;
import io.patchbay.processor.transport.OutcomePublisher;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.config.ConsumerGroupSession;
import io.patchbay.schemas.config.PatchbayProperties;
import io.patchbay.schemas.registry.SchemaRegistryClients;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.schemas.serde.SchemaWarmUp;
import io.patchbay.schemas.serde.SchemaWarmUpHealthIndicator;
import io.patchbay.store.DatabaseHealthIndicator;
import io.patchbay.store.Store;
import io.patchbay.store.schema.WriterSchemaBackfill;

/** Wires the processor: store, serdes, the batch listener container, its error handling and its topics. */
@Configuration(proxyBeanMethods = false)
public class ProcessorConfiguration {

    /** How long the consumer polls, and is idle, before the batch in flight is settled without waiting for the next. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(100);

    /** Background retries of the start-up schema registration: first wait, doubled up to the cap. */
    private static final Duration SCHEMA_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration SCHEMA_RETRY_MAX_WAIT = Duration.ofSeconds(30);

    /**
     * The database, migrated; first waited for (a processor started during a PostgreSQL outage comes up when it ends,
     * up to {@code patchbay.processor.database-wait}). While this waits the context is not refreshed, so the
     * management port does not answer and the processor is not ready.
     */
    @Bean
    Store store(DataSource dataSource, ProcessorProperties properties) {
        return Store.on(dataSource).awaitDatabase(properties.databaseWait(), "patchbay.processor.database-wait").migrate();
    }

    /** The processor's time: command outcomes, change events and retention cut-offs; a fixed clock in tests. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
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
    ProcessorMetrics patchbayMetrics(MeterRegistry registry, Store store, ProcessorProperties properties) {
        return new ProcessorMetrics(registry, store.jdbi(), properties.maxBatch());
    }

    @Bean(destroyMethod = "close")
    ConsumerMetrics<String, byte[]> consumerMetrics(MeterRegistry registry) {
        return new ConsumerMetrics<>(registry);
    }

    /** Writes results and change events; shared with {@link #schemaWarmUp}, which caches their schema ids at start. */
    @Bean
    ConfluentAvroSerializer<Object> outcomeSerializer(PatchbayProperties patchbay) {
        return ConfluentAvroSerializer.forRegistry(patchbay.schemaRegistryUrl());
    }

    @Bean
    OutcomeKeySerializer outcomeKeySerializer(ProcessorProperties properties, Topics topics, PatchbayProperties patchbay) {
        return OutcomeKeySerializer.of(properties.keyFormat(), topics, patchbay.schemaRegistryUrl());
    }

    /**
     * Registers the schemas of results, change events and (in the Avro key format) keys before the listener container
     * starts, so that concurrent first batches never register them at once (a race the registry may answer with 500);
     * when the registry cannot be reached, keeps trying in the background and {@code schemas} health (readiness) is
     * DOWN until it succeeds. Batches meanwhile register as before, and a registry failure fails a batch, which is
     * retried.
     */
    @Bean(destroyMethod = "close")
    SchemaWarmUp schemaWarmUp(ConfluentAvroSerializer<Object> outcomeSerializer, OutcomeKeySerializer outcomeKeySerializer,
                              Topics topics) {
        List<SchemaWarmUp.WrittenSchema> schemas = new ArrayList<>();
        CommandBatchProcessors.writtenSchemas(topics).forEach((topic, schema) ->
                schemas.add(new SchemaWarmUp.WrittenSchema(outcomeSerializer, topic, schema)));
        schemas.addAll(outcomeKeySerializer.writtenSchemas());
        return SchemaWarmUp.start(schemas, SCHEMA_RETRY_WAIT, SCHEMA_RETRY_MAX_WAIT);
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

    @Bean
    CommandBatchProcessor commandBatchProcessor(Store store, Topics topics, PatchbayProperties patchbay, Clock clock,
                                                Producer<String, byte[]> outcomeProducer, ProcessorMetrics metrics,
                                                Tracer tracer, Propagator propagator,
                                                ConfluentAvroSerializer<Object> outcomeSerializer) {
        return CommandBatchProcessors.on(store.jdbi(), topics).registry(patchbay.schemaRegistryUrl())
                .serializer(outcomeSerializer).clock(clock)
                .replyRoutes(new ReplyRoutes(topics, topic -> outcomeProducer.partitionsFor(topic).size()))
                .observer(metrics).tracing(new MicrometerCommandTracing(tracer, propagator)).build();
    }

    @Bean
    WriterSchemaBackfillAtStart writerSchemaBackfill(Store store, Topics topics, PatchbayProperties patchbay) {
        return new WriterSchemaBackfillAtStart(new WriterSchemaBackfill(store.jdbi(),
                SchemaRegistryClients.forUrl(patchbay.schemaRegistryUrl()), topics));
    }

    @Bean
    RetentionPurger retentionPurger(Store store, ProcessorProperties properties, Topics topics, Admin healthAdmin, Clock clock) {
        GroupProgress progress = new GroupProgress(healthAdmin, properties.consumerGroup(),
                List.of(topics.commands(ResourceType.EVALUATION), topics.commands(ResourceType.AUTOMATION)), Duration.ofSeconds(10));
        return new RetentionPurger(store.jdbi(), progress, properties.retention(), properties.purgeInterval(),
                properties.purgeBatchSize(), clock);
    }

    @Bean(destroyMethod = "close")
    Admin healthAdmin(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put("client.id", "patchbay-processor-health");
        return Admin.create(config);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(Admin healthAdmin, KafkaListenerEndpointRegistry registry) {
        return new KafkaHealthIndicator(healthAdmin, registry, CommandBatchListener.ID, Duration.ofSeconds(3));
    }

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> outcomeProducer(KafkaProperties kafka, OutcomeKeySerializer outcomeKeySerializer) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a batch's outcomes are handed over at once and then awaited: lingering only delays the last records
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a batch publishes up to max-batch results plus their change events at once, then flushes: room for them
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "patchbay-processor-outcomes");
        return new KafkaProducer<>(config, outcomeKeySerializer, new ByteArraySerializer());
    }

    /** The outcome producer's own metrics ({@code kafka.producer.*}: record errors, request latency), bound by Boot. */
    @Bean
    KafkaClientMetrics outcomeProducerMetrics(Producer<String, byte[]> outcomeProducer) {
        return new KafkaClientMetrics(outcomeProducer);
    }

    @Bean
    OutcomePipeline outcomePipeline(Producer<String, byte[]> outcomeProducer, ProcessorProperties properties,
                                    ProcessorMetrics metrics) {
        return new OutcomePipeline(new OutcomePublisher(outcomeProducer, properties.publishTimeout(), metrics::publishFailed),
                properties.publishTimeout(), metrics::partitionsLost);
    }

    @Bean
    CommandBatchListener commandBatchListener(CommandBatchProcessor processor, OutcomePipeline pipeline,
                                              ProcessorMetrics metrics) {
        return new CommandBatchListener(processor, pipeline, metrics::partitionsRevoked);
    }

    /**
     * Batch listener, offsets committed by the {@link OutcomePipeline} once a batch's outcomes are acknowledged (the
     * container commits nothing itself: manual acknowledgement, never given). A failed batch (database,
     * broker or registry down) is retried whole with exponential back-off and no limit: nothing is skipped, and
     * the command log makes the retry safe. Every exception is retryable (spring-kafka would otherwise skip a
     * batch on, for example, a ClassCastException), and the recoverer refuses, so a batch is never dropped;
     * poison is handled by the processor itself, per record. Each consumer's own metrics are meters
     * ({@code kafka.consumer.*}, among them {@code kafka.consumer.fetch.manager.records.lag} per partition).
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> commandContainerFactory(KafkaProperties kafka,
                                                                                  ProcessorProperties properties,
                                                                                  ConsumerMetrics<String, byte[]> metrics,
                                                                                  OutcomePipeline pipeline) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxBatch());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ConsumerGroupSession.applyDefault(config);
        // Cooperative, sticky assignment (ARCHITECTURE.md, the processor's step 1): a member joining or leaving moves
        // only the partitions that change owner, the others are never revoked; and both commands topics are balanced
        // together (the range assignor gives each topic's extra partition to the same member: 4 and 2 of 6).
        config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // Consumer-side linger (BENCHMARKS.md, tuning log). While a batch is applied, the consumer's next fetch is
        // already at the broker; with the default fetch.min.bytes=1 it is answered by the first record that arrives,
        // so records arriving later in that batch's cycle wait a whole extra cycle. Holding the fetch until the cycle
        // is about over (or enough bytes for a large batch are there, as under a backlog) lets it take all of them.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, properties.fetchMinBytes());
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) properties.fetchMaxWait().toMillis());
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumers.addListener(metrics);
        factory.setConsumerFactory(consumers);
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        // The pipeline commits a batch's offsets itself once its outcomes are acknowledged, which happens while the next
        // batch is applied: the container must not commit when the listener returns. It commits asynchronously (not
        // waiting for the commit's own answer saves a broker round trip per batch; a commit lost in a crash means a
        // redelivery, which the command log answers by re-publishing the stored outcomes, as after any crash), and
        // synchronously when partitions are revoked, before the container's own commit, by the generation that owned them.
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        factory.getContainerProperties().setConsumerRebalanceListener(pipeline);
        // With no traffic the last batch in flight is settled by the idle check, which runs after an empty poll: both
        // short, so that its offsets are committed within about a fifth of a second instead of at the next batch.
        factory.getContainerProperties().setPollTimeout(IDLE_CHECK.toMillis());
        factory.getContainerProperties().setIdleEventInterval(IDLE_CHECK.toMillis());
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler errorHandler = new DefaultErrorHandler((record, failure) -> {
            throw new IllegalStateException("a failed batch is retried, never skipped", failure);
        }, backOff);
        errorHandler.setClassifications(Map.of(), true);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }
}
