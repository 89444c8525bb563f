package io.patchbay.devstack.faults;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NetworkException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A producer acknowledgement that arrives only when a test says so, and then as a failure: a processor's outcome
 * producer sends every record to the real broker, but for the next record with a chosen key it holds the broker's
 * acknowledgement back until {@link #loseHeld} reports the publish failed ({@link NetworkException}, although the broker
 * appended the record), as when the connection breaks between the append and the acknowledgement after a long wait.
 *
 * <p>Applied to one processor with {@link #initializer()}: it wraps that context's {@link Producer} bean.
 */
final class HeldAcknowledgements {

    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> held = new ConcurrentHashMap<>();

    /** The acknowledgement of the next record sent with {@code key} is held back. */
    void hold(String key) {
        keys.add(key);
    }

    /** Whether the broker has acknowledged the record with {@code key} and that acknowledgement is held back. */
    boolean holding(String key) {
        return held.containsKey(key);
    }

    /** Reports the held acknowledgement of {@code key} to the producer's caller as a failure. */
    void loseHeld(String key) {
        Runnable failure = held.remove(key);
        if (failure == null) {
            throw new IllegalStateException("no acknowledgement of " + key + " is held");
        }
        failure.run();
    }

    /** Wraps the processor's outcome producer. */
    ApplicationContextInitializer<ConfigurableApplicationContext> initializer() {
        return context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof Producer<?, ?> producer ? new Holding<>((Producer<Object, Object>) producer) : bean;
            }
        });
    }

    /** The real producer, holding back the chosen acknowledgements. */
    private final class Holding<K, V> extends ForwardingProducer<K, V> {

        Holding(Producer<K, V> producer) {
            super(producer);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
            String key = String.valueOf(record.key());
            if (!keys.remove(key)) {
                return producer.send(record, callback);
            }
            CompletableFuture<RecordMetadata> reported = new CompletableFuture<>();
            producer.send(record, (metadata, error) -> {
                Exception failure = error != null ? error : new NetworkException("injected: the acknowledgement of "
                        + metadata + " was held back, then lost");
                held.put(key, () -> {
                    reported.completeExceptionally(failure);
                    if (callback != null) {
                        callback.onCompletion(null, failure);
                    }
                });
            });
            return reported;
        }
    }
}
