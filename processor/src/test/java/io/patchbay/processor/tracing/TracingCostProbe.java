package io.patchbay.processor.tracing;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.micrometer.tracing.otel.propagation.BaggageTextMapPropagator;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.patchbay.processor.application.CommandTracing;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ResourceType;

/**
 * Not a test: measures the consumer thread's CPU time and allocation per {@link CommandTracing#open}/close, with the
 * tracer wired as Spring Boot wires the processor's (W3C, B3 and B3-multi extraction and baggage, parent-based 10%
 * sampling, MDC events, a batch span processor) and the bench's mix of commands (3 in 10 with a sampled
 * {@code traceparent}). Run against a processor jar's classes, for BENCHMARKS.md ("A cheaper span per command"):
 * {@code java -cp "DIR/BOOT-INF/classes:DIR/BOOT-INF/lib/*" TracingCostProbe.java [metadata|header]} with the jar
 * unpacked into DIR.
 */
public final class TracingCostProbe {

    private static final int DISTINCT = 1000;
    private static final int PER_ROUND = 1_000_000;

    private TracingCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean header = args.length > 0 && args[0].equals("header");
        Logger.getLogger(BatchSpanProcessor.class.getName()).setLevel(Level.OFF);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(0.1)))
                .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build()).build();
        CommandTracing tracing = bootLike(provider);
        Random random = new Random(1);
        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        List<CommandMetadata> metadata = new java.util.ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("patchbay.commands.evaluation", 0, i, "e" + i, new byte[0]);
            String traceparent = random.nextInt(10) < 3 ? "00-" + hex(random, 32) + "-" + hex(random, 16) + "-01" : null;
            if (header && traceparent != null) {
                record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            }
            records.add(record);
            metadata.add(CommandMetadata.newBuilder().setCommandId(UUID.randomUUID().toString())
                    .setResourceType(ResourceType.EVALUATION).setResourceId("e" + i).setTeamId("t").setActor(new Actor("k"))
                    .setReceivedAt(Instant.now()).setRequestId(UUID.randomUUID().toString()).setTraceparent(traceparent).build());
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] nanos = new double[10];
        long bytes = 0;
        long sink = 0;
        for (int round = 0; round < nanos.length; round++) {
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                try (CommandTracing.Scope scope = tracing.open(records.get(i % DISTINCT), metadata.get(i % DISTINCT))) {
                    sink += scope.traceparent().length();
                }
            }
            nanos[round] = (threads.getCurrentThreadCpuTime() - cpu) / (double) PER_ROUND;
            bytes = (threads.getCurrentThreadAllocatedBytes() - allocated) / PER_ROUND;
        }
        double[] measured = Arrays.copyOfRange(nanos, 4, nanos.length);
        Arrays.sort(measured);
        System.out.printf("traceparent in %s: median %.0f ns CPU per command (rounds 5-10: %.0f-%.0f), %d bytes allocated (%d)%n",
                header ? "header" : "metadata", measured[measured.length / 2], measured[0], measured[measured.length - 1], bytes, sink);
        provider.close();
    }

    private static CommandTracing bootLike(SdkTracerProvider provider) throws ReflectiveOperationException {
        OtelTracer.EventPublisher publisher = new Slf4JEventListener()::onEvent;
        ContextStorage.addWrapper(new EventPublishingContextWrapper(publisher));
        io.opentelemetry.api.trace.Tracer otel = provider.get("org.springframework.boot");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelBaggageManager baggage = new OtelBaggageManager(current, List.of(), List.of());
        Class<?> propagation = Class.forName("org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties$Propagation");
        Method create = Class.forName("org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.CompositeTextMapPropagator")
                .getDeclaredMethod("create", propagation, TextMapPropagator.class);
        create.setAccessible(true);
        TextMapPropagator composite = (TextMapPropagator) create.invoke(null, propagation.getConstructor().newInstance(),
                new BaggageTextMapPropagator(List.of(), baggage));
        return new MicrometerCommandTracing(new OtelTracer(otel, current, publisher, baggage),
                new OtelPropagator(ContextPropagators.create(composite), otel));
    }

    private static String hex(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }
}
