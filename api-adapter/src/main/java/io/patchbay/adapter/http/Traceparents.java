package io.patchbay.adapter.http;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.patchbay.schemas.Traceparent;

/**
 * The W3C {@code traceparent} of the span in scope on the calling thread: during a request, the HTTP server span that
 * Spring's observation filter opened (a child of the client's {@code traceparent} when it sent one, else the root of a
 * new trace). The response carries it ({@link TraceResponse}), and so does the command the request publishes (its
 * {@code traceparent} Kafka header and {@code metadata.traceparent}), so that the processor's span for the command is
 * a child of it. Formatting it is a few string concatenations; nothing is looked up reflectively.
 */
public final class Traceparents {

    /** The W3C Trace Context header, on requests, responses and command records. */
    public static final String HEADER = Traceparent.HEADER;

    private final Tracer tracer;

    public Traceparents(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The current {@code traceparent}, or null when no span is in scope (tracing disabled, or off a request thread). */
    public String current() {
        TraceContext context = tracer.currentTraceContext().context();
        return context == null ? null : format(context);
    }

    /** {@code 00-<trace id>-<span id>-<flags>} ({@link Traceparent#format}). */
    static String format(TraceContext context) {
        return Traceparent.format(context.traceId(), context.spanId(), context.sampled());
    }
}
