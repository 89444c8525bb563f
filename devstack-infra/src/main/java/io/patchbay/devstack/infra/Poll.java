package io.patchbay.devstack.infra;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for a condition, never for a fixed time: poll until it holds or fail at the deadline (with an
 * {@link AssertionError}, so that a test reports it as a failure). Shared by the tests and the fault harness.
 */
public final class Poll {

    private Poll() {
    }

    /** Polls every {@code every} until {@code condition} holds; fails with {@code what} after {@code deadline}. */
    public static void until(String what, Duration deadline, Duration every, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + deadline + ": " + what);
            }
            LockSupport.parkNanos(every.toNanos());
        }
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(what, deadline, Duration.ofMillis(50), condition);
    }

    /** Polls {@code probe} until {@code done} holds for what it returns, and returns that. */
    public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + deadline + ": " + what + " (last: " + value + ")");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            value = probe.get();
        }
        return value;
    }

    /** Polls {@code probe} until it returns a non-null value. */
    public static <T> T value(String what, Duration deadline, Supplier<T> probe) {
        Object[] box = new Object[1];
        until(what, deadline, () -> (box[0] = probe.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) box[0];
        return value;
    }
}
