package io.patchbay.schemas.registry.internal;

import java.time.Duration;

/** Waits between retries; replaceable in tests so that they record backoff instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
