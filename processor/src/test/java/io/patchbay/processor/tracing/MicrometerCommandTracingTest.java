package io.patchbay.processor.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.patchbay.processor.application.CommandTracing;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.TestCommands;

/**
 * A command's span continues the trace its record carries ({@code traceparent} header, else
 * {@code metadata.traceparent}; other propagation formats through the propagator), is sampled parent-based, is tagged
 * when it records, and a plain {@code traceparent} is read without the propagator. Real OpenTelemetry SDK, W3C and B3
 * propagation as the processor consumes them, every root sampled.
 */
class MicrometerCommandTracingTest {

    private static final String TOPIC = "patchbay.commands.evaluation";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(exported))).build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {
    });
    private final AtomicInteger extractions = new AtomicInteger();
    private final CommandTracing tracing = new MicrometerCommandTracing(tracer, counting(new OtelPropagator(
            ContextPropagators.create(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                    B3Propagator.injectingMultiHeaders())), otel)));

    @AfterEach
    void shutDown() {
        provider.close();
    }

    @Test
    void aTraceparentHeaderIsTheSpansRemoteParentAndTheOutcomesCarryTheProcessorsSpan() {
        ConsumerRecord<String, byte[]> record = record("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01");

        String traceparent = openAndClose(record, metadata(null));

        SpanData span = onlySpan();
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanContext().getSpanId()).isEqualTo(CLIENT_SPAN);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(traceparent).isEqualTo("00-" + TRACE + "-" + span.getSpanId() + "-01");
    }

    @Test
    void theMetadataTraceparentIsTheParentWhenTheRecordHasNoHeaderAndTheHeaderWinsWhenItHasOne() {
        String other = "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01";

        openAndClose(record(), metadata("00-" + TRACE + "-" + CLIENT_SPAN + "-01"));
        openAndClose(record("traceparent", other), metadata("00-" + TRACE + "-" + CLIENT_SPAN + "-01"));

        assertThat(exported).extracting(SpanData::getTraceId).containsExactly(TRACE, "1".repeat(32));
    }

    @Test
    void anUnsampledParentGivesAnUnsampledSpanThatStillHasATraceparent() {
        String traceparent = openAndClose(record("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-00"), metadata(null));

        assertThat(exported).isEmpty();
        assertThat(traceparent).matches("00-" + TRACE + "-[0-9a-f]{16}-00").doesNotContain(CLIENT_SPAN);
    }

    @Test
    void aRecordWithoutTraceparentOrWithAnInvalidOneStartsANewTrace() {
        openAndClose(record(), metadata(null));
        openAndClose(record(), null);
        openAndClose(record("traceparent", "00-" + "0".repeat(32) + "-" + CLIENT_SPAN + "-01"), metadata(null));
        openAndClose(record("traceparent", "00-" + TRACE.toUpperCase() + "-" + CLIENT_SPAN + "-01"), metadata(null));

        assertThat(exported).hasSize(4).allSatisfy(span -> {
            assertThat(span.getParentSpanContext().isValid()).isFalse();
            assertThat(span.getTraceId()).isNotEqualTo(TRACE).isNotEqualTo(TRACE.toUpperCase());
        });
    }

    @Test
    void aRecordingSpanIsTaggedWithTheTopicAndTheCommandId() {
        CommandMetadata metadata = metadata(null);

        openAndClose(record(), metadata);

        assertThat(onlySpan().getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(TOPIC);
        assertThat(onlySpan().getAttributes().get(AttributeKey.stringKey("patchbay.command.id")))
                .isEqualTo(metadata.getCommandId());
        assertThat(onlySpan().getName()).isEqualTo("patchbay command");
    }

    @Test
    void aPlainTraceparentOrNoneIsReadWithoutThePropagator() {
        openAndClose(record("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01"), metadata(null));
        openAndClose(record(), metadata("00-" + TRACE + "-" + CLIENT_SPAN + "-00"));
        openAndClose(record(), metadata(null));

        assertThat(extractions).hasValue(0);
    }

    @Test
    void otherFormatsAndFieldsAreLeftToThePropagator() {
        openAndClose(record("X-B3-TraceId", TRACE, "X-B3-SpanId", CLIENT_SPAN, "X-B3-Sampled", "1"), metadata(null));
        openAndClose(record("traceparent", "01-" + TRACE + "-" + CLIENT_SPAN + "-01-later"), metadata(null));
        openAndClose(record("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01", "tracestate", "vendor=1"),
                metadata(null));

        assertThat(extractions).hasValue(3);
        assertThat(exported).hasSize(3).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanContext().getSpanId()).isEqualTo(CLIENT_SPAN);
        });
        assertThat(exported.get(2).getParentSpanContext().getTraceState().get("vendor")).isEqualTo("1");
    }

    private String openAndClose(ConsumerRecord<String, byte[]> record, CommandMetadata metadata) {
        try (CommandTracing.Scope scope = tracing.open(record, metadata)) {
            assertThat(tracer.currentSpan()).isNotNull();
            return scope.traceparent();
        }
    }

    private SpanData onlySpan() {
        assertThat(exported).hasSize(1);
        return exported.get(0);
    }

    private static ConsumerRecord<String, byte[]> record(String... headers) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPIC, 0, 0L, "e1", new byte[0]);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static CommandMetadata metadata(String traceparent) {
        return TestCommands.metadata(ResourceType.EVALUATION, "e1", "t1", "k1").setTraceparent(traceparent).build();
    }

    private Propagator counting(Propagator delegate) {
        return new Propagator() {
            @Override
            public List<String> fields() {
                return delegate.fields();
            }

            @Override
            public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
                delegate.inject(context, carrier, setter);
            }

            @Override
            public <C> Span.Builder extract(C carrier, Getter<C> getter) {
                extractions.incrementAndGet();
                return delegate.extract(carrier, getter);
            }
        };
    }

    /** Keeps what the SDK exports (a sampled span, when it ends). */
    private record Collecting(List<SpanData> spans) implements SpanExporter {

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
