package io.patchbay.schemas;

/**
 * The W3C Trace Context {@code traceparent} (version {@code 00}) as patchbay writes it: on HTTP answers (the adapter),
 * on command records and on the records the processor publishes for a command. One formatter, so that the adapter
 * and the processor cannot drift apart on the shape. Independent of any tracing library: callers pass the ids of
 * their span.
 */
public final class Traceparent {

    /** The name of the W3C Trace Context header, on requests, responses, command records and outcome records. */
    public static final String HEADER = "traceparent";

    private Traceparent() {
    }

    /**
     * {@code 00-<trace id>-<span id>-<flags>}, flags {@code 01} when sampled, else {@code 00}; null when either id is
     * missing (a no-op tracer, or no span in scope).
     *
     * @param sampled the span's sampling decision; null (undecided) counts as not sampled
     */
    public static String format(String traceId, String spanId, Boolean sampled) {
        if (traceId == null || traceId.isEmpty() || spanId == null || spanId.isEmpty()) {
            return null;
        }
        return "00-" + traceId + "-" + spanId + (Boolean.TRUE.equals(sampled) ? "-01" : "-00");
    }
}
