package io.patchbay.processor.tracing;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanContext;
import io.patchbay.processor.application.CommandTracing;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.Traceparent;

/**
 * {@link CommandTracing} with Micrometer Tracing (over OpenTelemetry in the processor): each record's span is a
 * consumer span, the child of the trace context found in the record's headers ({@code traceparent}, or whatever
 * the propagator reads) or, failing that, in the command's {@code metadata.traceparent} (a producer writing to
 * Kafka directly may set only the field). A record that carries neither (or an invalid one) starts a new trace.
 * Sampling is the tracer's: parent-based, so a sampled client request stays sampled.
 *
 * <p>Per command, cheaply: a record whose only propagation field is a plain version-{@code 00} {@code traceparent}
 * (header or field), or that has none, skips the propagator (which tries every configured format, W3C, B3 and
 * baggage, with a string per header lookup) and gets the same parent from {@link W3cParent} or the current context;
 * any other record goes through the propagator as before. The span's tags are set after it starts, and only when it
 * records (an unsampled span would drop them), so the sampler does not see them.
 */
public final class MicrometerCommandTracing implements CommandTracing {

    private static final String NAME = "patchbay command";
    private static final Propagator.Getter<Carrier> GETTER = (carrier, key) -> carrier.get(key);

    private final Tracer tracer;
    private final Propagator propagator;
    /** The propagator's fields other than {@code traceparent}: a record with any of them takes the propagator. */
    private final Set<String> otherFields;
    /** Whether parents read without the propagator can be handed to {@link #tracer} (OpenTelemetry's bridge). */
    private final boolean direct;

    public MicrometerCommandTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
        Set<String> fields = new HashSet<>(propagator.fields());
        fields.remove(HEADER);
        this.otherFields = Set.copyOf(fields);
        this.direct = tracer instanceof OtelTracer;
    }

    @Override
    public Scope open(ConsumerRecord<String, byte[]> record, CommandMetadata metadata) {
        Span span = builder(record, metadata).name(NAME).kind(Span.Kind.CONSUMER).start();
        if (!span.isNoop()) {
            span.tag("messaging.destination.name", record.topic());
            if (metadata != null) {
                span.tag("patchbay.command.id", metadata.getCommandId());
            }
        }
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

    /** A builder with the parent the propagator would find, read directly when the record allows it. */
    private Span.Builder builder(ConsumerRecord<String, byte[]> record, CommandMetadata metadata) {
        if (direct && !carriesOtherFields(record)) {
            String traceparent = new Carrier(record, metadata).get(HEADER);
            if (traceparent == null) {
                return tracer.spanBuilder();
            }
            SpanContext parent = W3cParent.parse(traceparent);
            if (parent != null) {
                return tracer.spanBuilder().setParent(OtelTraceContext.fromOtel(parent));
            }
        }
        return propagator.extract(new Carrier(record, metadata), GETTER);
    }

    private boolean carriesOtherFields(ConsumerRecord<String, byte[]> record) {
        for (Header header : record.headers()) {
            if (otherFields.contains(header.key())) {
                return true;
            }
        }
        return false;
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
