package io.patchbay.processor.application;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * State shared by the commands of one batch: each resource is locked and read once per transaction and
 * later commands see the writes of earlier ones.
 */
public final class BatchContext {

    private final Map<String, Optional<?>> resources = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <T> Optional<T> resource(String key, Supplier<Optional<T>> loader) {
        return (Optional<T>) resources.computeIfAbsent(key, k -> loader.get());
    }

    public <T> void update(String key, T state) {
        resources.put(key, Optional.of(state));
    }
}
