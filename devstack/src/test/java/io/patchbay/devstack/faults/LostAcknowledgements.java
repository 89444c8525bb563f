package io.patchbay.devstack.faults;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NetworkException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.schemas.CommandMetadata;

/**
 * An ambiguous publish failure, made deterministic: an adapter's command producer sends every record to the real
 * broker, but for the commands of chosen Idempotency-Keys it reports a failure ({@link NetworkException}) once the
 * broker has appended and acknowledged the record, as a producer does when the broker dies, or its connection breaks,
 * between the append and the acknowledgement (RELIABILITY.md finding 4). Each chosen key loses one acknowledgement.
 *
 * <p>Applied to one adapter with {@link #initializer()} (see {@code PatchbayApps.startAdapter}): it wraps that
 * context's {@link Producer} bean; nothing else of the adapter changes.
 */
final class LostAcknowledgements {

    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lost = new AtomicInteger();

    /** The next command published with {@code idempotencyKey} is appended, and its publish reported failed. */
    void loseTheAcknowledgementOf(String idempotencyKey) {
        keys.add(idempotencyKey);
    }

    /** How many acknowledgements were lost so far (each for a record the broker appended). */
    int lost() {
        return lost.get();
    }

    /** Wraps the adapter's command producer. */
    ApplicationContextInitializer<ConfigurableApplicationContext> initializer() {
        return context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof Producer<?, ?> producer
                        ? new Wrapped<>((Producer<Object, Object>) producer) : bean;
            }
        });
    }

    private static String idempotencyKey(Object value) {
        if (value instanceof SpecificRecord command) {
            Schema.Field field = command.getSchema().getField("metadata");
            if (field != null && command.get(field.pos()) instanceof CommandMetadata metadata) {
                return metadata.getIdempotencyKey();
            }
        }
        return null;
    }

    /** The real producer, with the chosen acknowledgements turned into failures. */
    private final class Wrapped<K, V> extends ForwardingProducer<K, V> {

        Wrapped(Producer<K, V> producer) {
            super(producer);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
            String key = idempotencyKey(record.value());
            if (key == null || !keys.remove(key)) {
                return producer.send(record, callback);
            }
            CompletableFuture<RecordMetadata> reported = new CompletableFuture<>();
            producer.send(record, (metadata, error) -> {
                Exception failure = error;
                if (error == null) {
                    lost.incrementAndGet();
                    failure = new NetworkException("injected: the connection was lost after the broker appended "
                            + metadata + ", before its acknowledgement arrived");
                }
                reported.completeExceptionally(failure);
                if (callback != null) {
                    callback.onCompletion(null, failure);
                }
            });
            return reported;
        }
    }
}
