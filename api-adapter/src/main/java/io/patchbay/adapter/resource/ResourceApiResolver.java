package io.patchbay.adapter.resource;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.patchbay.schemas.ResourceType;

/** Finds the {@link ResourceApi} of a resource type; every type has exactly one. */
public final class ResourceApiResolver {

    private final Map<ResourceType, ResourceApi> byType = new EnumMap<>(ResourceType.class);

    public ResourceApiResolver(List<ResourceApi> apis) {
        for (ResourceApi api : apis) {
            if (byType.put(api.type(), api) != null) {
                throw new IllegalArgumentException("two ResourceApis for " + api.type());
            }
        }
        for (ResourceType type : ResourceType.values()) {
            if (!byType.containsKey(type)) {
                throw new IllegalArgumentException("no ResourceApi for " + type);
            }
        }
    }

    public ResourceApi resolve(ResourceType type) {
        return byType.get(type);
    }
}
