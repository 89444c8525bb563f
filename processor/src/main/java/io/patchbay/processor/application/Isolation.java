package io.patchbay.processor.application;

import java.util.function.Supplier;

import org.jdbi.v3.core.Handle;

/**
 * How a batch transaction isolates its commands from each other. The fast path does not ({@link #none}): everything
 * is written at the end, and PostgreSQL refusing any command fails the whole transaction. The batch is then applied
 * again {@link #savepointPerCommand one command at a time}, each applied and written under its own savepoint, so that
 * a refused command is rolled back and set aside alone.
 */
abstract class Isolation {

    /** A command's outcome: what it applied, or the failure with which PostgreSQL refused it (its work undone). */
    record Attempt<T>(T applied, RuntimeException refusal) {
    }

    /** Runs {@code apply} and, if this isolation writes each command on its own, {@code write}. */
    abstract <T> Attempt<T> attempt(Supplier<T> apply, Runnable write);

    static Isolation none() {
        return new Isolation() {
            @Override
            <T> Attempt<T> attempt(Supplier<T> apply, Runnable write) {
                return new Attempt<>(apply.get(), null);
            }
        };
    }

    static Isolation savepointPerCommand(Handle handle) {
        return new Isolation() {
            private int savepoints;

            @Override
            <T> Attempt<T> attempt(Supplier<T> apply, Runnable write) {
                String savepoint = "command_" + (++savepoints);
                handle.savepoint(savepoint);
                try {
                    T applied = apply.get();
                    write.run();
                    handle.releaseSavepoint(savepoint);
                    return new Attempt<>(applied, null);
                } catch (RuntimeException e) {
                    if (!Failures.isCommandSpecific(e)) {
                        throw e;
                    }
                    handle.rollbackToSavepoint(savepoint);
                    return new Attempt<>(null, e);
                }
            }
        };
    }
}
