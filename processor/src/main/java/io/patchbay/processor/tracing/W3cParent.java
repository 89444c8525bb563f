package io.patchbay.processor.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;

/**
 * The remote parent a version-{@code 00} W3C {@code traceparent} names, read without a propagator: the form patchbay
 * and most clients write ({@code 00-<32 hex>-<16 hex>-<2 hex>}, lower case, ids not all zero). Anything else is
 * left to the propagator, so every value it would accept or refuse is still decided by it.
 */
final class W3cParent {

    private static final int LENGTH = 55;
    private static final int TRACE_ID = 3;
    private static final int SPAN_ID = 36;
    private static final int FLAGS = 53;

    private W3cParent() {
    }

    /** The parent {@code traceparent} names, or null when it is not in the plain version-{@code 00} form. */
    static SpanContext parse(String traceparent) {
        if (traceparent.length() != LENGTH || traceparent.charAt(0) != '0' || traceparent.charAt(1) != '0'
                || traceparent.charAt(TRACE_ID - 1) != '-' || traceparent.charAt(SPAN_ID - 1) != '-'
                || traceparent.charAt(FLAGS - 1) != '-' || !hex(traceparent.charAt(FLAGS))
                || !hex(traceparent.charAt(FLAGS + 1))) {
            return null;
        }
        String traceId = traceparent.substring(TRACE_ID, SPAN_ID - 1);
        String spanId = traceparent.substring(SPAN_ID, FLAGS - 1);
        if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId)) {
            return null;
        }
        return SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.fromHex(traceparent, FLAGS),
                TraceState.getDefault());
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
