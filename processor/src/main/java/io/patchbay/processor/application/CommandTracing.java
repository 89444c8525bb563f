package io.patchbay.processor.application;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.Traceparent;

/**
 * The span of one command record in a batch: opened around everything the batch transaction does for the record
 * (let through or held, set aside, answered or applied), as a child of the trace context the command carries, and in
 * scope meanwhile (so the processor's log lines for the command carry its trace and span ids). Its
 * {@code traceparent} goes on the records published for the command (a {@code traceparent} header on change events,
 * results and dead letters) and into the change event's {@code traceparent} field.
 */
public interface CommandTracing {

    /** The name of the W3C Trace Context header, on command records and on the outcome records published for them. */
    String HEADER = Traceparent.HEADER;

    /** Traces nothing: outcomes carry no {@code traceparent} header, change events the command's own. */
    CommandTracing NONE = (record, metadata) -> Scope.NONE;

    /**
     * Starts the span of {@code record} and puts it in scope on this thread.
     *
     * @param metadata the decoded command's metadata, or null for a record that could not be decoded
     */
    Scope open(ConsumerRecord<String, byte[]> record, CommandMetadata metadata);

    /** A record's span in scope; {@link #close} ends it and takes it out of scope. */
    interface Scope extends AutoCloseable {

        /** No span. */
        Scope NONE = new Scope() {
            @Override
            public String traceparent() {
                return null;
            }

            @Override
            public void close() {
            }
        };

        /** The span's W3C {@code traceparent}, or null when there is no span. */
        String traceparent();

        @Override
        void close();
    }
}
