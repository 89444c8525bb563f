/**
 * The processor: applies the commands on Kafka to PostgreSQL, exactly once and in order per resource, and publishes
 * change events and results. Start reading at {@link io.patchbay.processor.transport.CommandBatchListener} (one poll,
 * one batch), then {@link io.patchbay.processor.application.CommandBatchProcessor} (one transaction per batch);
 * ARCHITECTURE.md walks one PATCH through it file by file. {@link io.patchbay.processor.ProcessorProperties} holds its
 * settings, {@code config} wires it.
 */
package io.patchbay.processor;
