package io.patchbay.schemas.testing;

import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A registry that gives one fixed id to whatever is registered and counts its calls; or, wrapping another
 * client, only counts.
 */
public final class StubRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final int fixedId;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    public final AtomicInteger registerCalls = new AtomicInteger();
    public final AtomicInteger lookupCalls = new AtomicInteger();
    public final AtomicInteger getByIdCalls = new AtomicInteger();
    public final AtomicInteger latestCalls = new AtomicInteger();

    private StubRegistry(SchemaRegistryClient delegate, int fixedId) {
        this.delegate = delegate;
        this.fixedId = fixedId;
    }

    public static StubRegistry withFixedId(int id) {
        return new StubRegistry(null, id);
    }

    public static StubRegistry counting(SchemaRegistryClient delegate) {
        return new StubRegistry(delegate, 0);
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        registerCalls.incrementAndGet();
        if (delegate != null) {
            return delegate.register(subject, schema, normalize);
        }
        byId.put(fixedId, schema);
        return fixedId;
    }

    @Override
    public int lookup(String subject, Schema schema, boolean normalize) {
        lookupCalls.incrementAndGet();
        return delegate != null ? delegate.lookup(subject, schema, normalize) : register(subject, schema, normalize);
    }

    @Override
    public Schema getById(int id) {
        getByIdCalls.incrementAndGet();
        if (delegate != null) {
            return delegate.getById(id);
        }
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("stub: schema id " + id + " not found", 404, 40403);
        }
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        latestCalls.incrementAndGet();
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
}
