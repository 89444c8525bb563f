package io.patchbay.processor.tracing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.patchbay.processor.application.CommandTracing;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.Traceparent;

/**
 * {@link CommandTracing} with Micrometer Tracing (over OpenTelemetry in the processor): each record's span is a
 * consumer span, the child of the trace context found in the record's headers ({@code traceparent}, or whatever
 * the propagator reads) or, failing that, in the command's {@code metadata.traceparent} (a producer writing to
 * Kafka directly may set only the field). A record that carries neither (or an invalid one) starts a new trace.
 * Sampling is the tracer's: parent-based, so a sampled client request stays sampled.
 */
public final class MicrometerCommandTracing implements CommandTracing {

    private static final Propagator.Getter<Carrier> GETTER = (carrier, key) -> carrier.get(key);

    private final Tracer tracer;
    private final Propagator propagator;

    public MicrometerCommandTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public Scope open(ConsumerRecord<String, byte[]> record, CommandMetadata metadata) {
        Span.Builder builder = propagator.extract(new Carrier(record, metadata), GETTER)
                .name("patchbay command").kind(Span.Kind.CONSUMER)
                .tag("messaging.destination.name", record.topic());
        if (metadata != null) {
            builder.tag("patchbay.command.id", metadata.getCommandId());
        }
        Span span = builder.start();
        Tracer.SpanInScope inScope = tracer.withSpan(span);
        String traceparent = traceparent(span.context());
        return new Scope() {
            @Override
            public String traceparent() {
                return traceparent;
            }

            @Override
            public void close() {
                inScope.close();
                span.end();
            }
        };
    }

    /** {@code 00-<trace id>-<span id>-<flags>} ({@link Traceparent#format}); null without ids (a no-op tracer). */
    static String traceparent(TraceContext context) {
        return Traceparent.format(context.traceId(), context.spanId(), context.sampled());
    }

    /** The record's headers (the last value of each), with the command's {@code metadata.traceparent} behind them. */
    private record Carrier(ConsumerRecord<String, byte[]> record, CommandMetadata metadata) {

        String get(String key) {
            Header header = record.headers().lastHeader(key);
            if (header != null && header.value() != null) {
                return new String(header.value(), StandardCharsets.UTF_8);
            }
            return HEADER.equals(key) && metadata != null ? metadata.getTraceparent() : null;
        }
    }
}
