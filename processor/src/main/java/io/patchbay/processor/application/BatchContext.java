package io.patchbay.processor.application;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * State shared by the commands of one batch: each resource is locked and read once per transaction (usually
 * all of a batch's resources in one query, before the first command), later commands see the writes of
 * earlier ones, and the changes are written together, in one JDBC batch per type, when the batch ends. Each
 * change is written, not only a row's last one, so that PostgreSQL's constraints check every state a change
 * event publishes (a refused one is set aside as poison).
 */
public final class BatchContext {

    private final Map<String, Optional<?>> resources = new HashMap<>();
    private final List<Object> changed = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public <T> Optional<T> resource(String key, Supplier<Optional<T>> loader) {
        return (Optional<T>) resources.computeIfAbsent(key, k -> loader.get());
    }

    /** What the batch knows of {@code key}, without reading anything: null when nothing is known yet. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> known(String key) {
        return (Optional<T>) resources.get(key);
    }

    /** Records what the database holds for {@code key}, read ahead of the commands that need it. */
    public void preload(String key, Optional<?> value) {
        resources.putIfAbsent(key, value);
    }

    /** The new state of {@code key}: seen by later commands of the batch and written when the batch ends. */
    public <T> void update(String key, T state) {
        resources.put(key, Optional.of(state));
        changed.add(state);
    }

    /** Replaces what the batch knows of {@code key} without counting it as a change to write (a derived value). */
    public void remember(String key, Object value) {
        resources.put(key, Optional.of(value));
    }

    /** Forgets which resources changed: their states up to now are written. */
    public void markWritten() {
        changed.clear();
    }

    /** The changes not yet written whose states are of {@code type}, in the order they were made. */
    public <T> List<T> changed(Class<T> type) {
        return changed.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
