package io.patchbay.schemas.registry.internal;

import io.patchbay.schemas.internal.BoundedCache;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;

/**
 * Caches what a registry never changes: subject + schema &rarr; id (from register and lookup) and
 * id &rarr; schema, both size-bounded. Everything else (latest version, compatibility, config) goes to the
 * delegate every time. Failures are not cached.
 *
 * <p>Registrations are serialized per subject: threads that register under one subject at once (the first records
 * of many request threads) wait for the first of them, whose id they then find cached, so that one process never
 * races itself at the registry (which may answer a concurrent first registration of the same schema with 409 or 500).
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    /** Default bound of each cache. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** Registrations under subjects whose hashes share a stripe wait for each other; a few is plenty. */
    private static final int LOCK_STRIPES = 64;

    private final SchemaRegistryClient delegate;
    private final BoundedCache<SubjectSchema, Integer> ids;
    private final BoundedCache<Integer, Schema> schemas;
    private final Object[] subjectLocks = new Object[LOCK_STRIPES];

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this(delegate, DEFAULT_CAPACITY);
    }

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity) {
        this.delegate = delegate;
        this.ids = new BoundedCache<>(capacity);
        this.schemas = new BoundedCache<>(capacity);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            subjectLocks[i] = new Object();
        }
    }

    public SchemaRegistryClient delegate() {
        return delegate;
    }

    /**
     * Register and lookup share one cache: once either has answered, the schema is registered under the subject
     * and both would return the same id.
     */
    private record SubjectSchema(String subject, Schema schema, boolean normalize) {
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        SubjectSchema key = new SubjectSchema(subject, schema, normalize);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (subjectLocks[Math.floorMod(subject.hashCode(), LOCK_STRIPES)]) {
            return ids.getOrLoad(key, k -> {
                int id = delegate.register(subject, schema, normalize);
                schemas.putIfAbsent(id, schema);
                return id;
            });
        }
    }

    @Override
    public int lookup(String subject, Schema schema, boolean normalize) {
        return ids.getOrLoad(new SubjectSchema(subject, schema, normalize), key -> {
            int id = delegate.lookup(subject, schema, normalize);
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema getById(int id) {
        return schemas.getOrLoad(id, delegate::getById);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return delegate.latest(subject);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public String getCompatibility(String subject) {
        return delegate.getCompatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public String toString() {
        return "Caching" + delegate;
    }
}
