/**
 * The processor's Kafka edge: {@link io.patchbay.processor.transport.CommandBatchListener} receives each poll as a
 * batch, {@link io.patchbay.processor.transport.OutcomePublisher} publishes a committed batch's events, results and
 * dead letters and waits for every acknowledgement before the offsets are committed.
 */
package io.patchbay.processor.transport;
