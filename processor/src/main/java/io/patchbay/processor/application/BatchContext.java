package io.patchbay.processor.application;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * State shared by the commands of one batch: each resource is locked and read once per transaction (usually
 * all of a batch's resources in one query, before the first command), later commands see the writes of
 * earlier ones, and each changed row is written once, with its final state, when the batch ends. Every
 * command still gets its own version, change event and command-log entry.
 */
public final class BatchContext {

    private final Map<String, Optional<?>> resources = new HashMap<>();
    private final Map<String, Object> changed = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> Optional<T> resource(String key, Supplier<Optional<T>> loader) {
        return (Optional<T>) resources.computeIfAbsent(key, k -> loader.get());
    }

    /** Records what the database holds for {@code key}, read ahead of the commands that need it. */
    public void preload(String key, Optional<?> value) {
        resources.putIfAbsent(key, value);
    }

    /** The new state of {@code key}: seen by later commands of the batch and written when the batch ends. */
    public <T> void update(String key, T state) {
        resources.put(key, Optional.of(state));
        changed.put(key, state);
    }

    /** The final states of the changed resources whose keys start with {@code prefix}, in first-change order. */
    public <T> List<T> changed(String prefix, Class<T> type) {
        List<T> states = new ArrayList<>();
        changed.forEach((key, state) -> {
            if (key.startsWith(prefix)) {
                states.add(type.cast(state));
            }
        });
        return states;
    }
}
