/**
 * The processor's spans: one per command record, in the trace its command carries ({@code traceparent}), with
 * Micrometer Tracing over OpenTelemetry; exported over OTLP only when an endpoint is configured.
 */
package io.patchbay.processor.tracing;
