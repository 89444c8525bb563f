package io.patchbay.schemas.internal;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe map with an approximate size limit, for values that never go stale (schema ids, parsed schemas,
 * datum readers). When full, an arbitrary entry is evicted. Loading happens outside any lock: two threads
 * missing the same key may both load it, and the first stored value wins. A loader that throws caches nothing.
 */
public final class BoundedCache<K, V> {

    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final int capacity;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** The cached value, or {@code null}. */
    public V get(K key) {
        return map.get(key);
    }

    /** The cached value, loading and caching it first if absent. */
    public V getOrLoad(K key, Function<? super K, ? extends V> loader) {
        V cached = map.get(key);
        if (cached != null) {
            return cached;
        }
        return putIfAbsent(key, Objects.requireNonNull(loader.apply(key), "loaded value"));
    }

    /** Stores {@code value} unless a value is already cached; returns the value now cached. */
    public V putIfAbsent(K key, V value) {
        makeRoomFor(key);
        V previous = map.putIfAbsent(key, value);
        return previous != null ? previous : value;
    }

    /** Stores {@code value}, replacing any cached value. */
    public void put(K key, V value) {
        makeRoomFor(key);
        map.put(key, value);
    }

    private void makeRoomFor(K key) {
        if (map.size() >= capacity && !map.containsKey(key)) {
            Iterator<K> keys = map.keySet().iterator();
            if (keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        }
    }

    public int size() {
        return map.size();
    }
}
