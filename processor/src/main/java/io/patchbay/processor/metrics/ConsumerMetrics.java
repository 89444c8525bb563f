package io.patchbay.processor.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.MicrometerConsumerListener;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * spring-kafka's Micrometer listener for the commands consumers ({@code kafka.consumer.*} meters), looking for new
 * client metrics every 10 s instead of Micrometer's 60 s: per-partition metrics such as
 * {@code kafka.consumer.fetch.manager.records.lag} only exist once partitions are assigned, after the binding.
 */
public final class ConsumerMetrics<K, V> extends MicrometerConsumerListener<K, V> implements AutoCloseable {

    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-consumer-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public ConsumerMetrics(MeterRegistry registry) {
        super(registry);
    }

    @Override
    protected MeterBinder createClientMetrics(Consumer<K, V> consumer, List<Tag> tags) {
        return new KafkaClientMetrics(consumer, tags, refresher, REFRESH);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
