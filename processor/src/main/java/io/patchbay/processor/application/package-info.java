/**
 * One batch of commands in one PostgreSQL transaction: {@link io.patchbay.processor.application.CommandBatchProcessor}
 * decodes and runs a {@link io.patchbay.processor.application.BatchTransaction} (the batch loop: decided commands
 * answered, parked keys held, the rest applied by {@link io.patchbay.processor.application.CommandApplier}), and
 * {@link io.patchbay.processor.application.CommandWriter} is the one write path. Nothing here knows Spring or the
 * Kafka consumer; the outcomes it returns are published by {@code transport}.
 */
package io.patchbay.processor.application;
