package io.patchbay.processor.retention;

import java.time.Instant;

/**
 * How far the processors have got: whether every record written to the commands topics before an instant has
 * been consumed and its offset committed, so that no such record can be delivered again.
 */
@FunctionalInterface
public interface ConsumedHorizon {

    /** True only when it is known that every commands record written before {@code instant} is consumed and committed. */
    boolean consumedBefore(Instant instant);
}
