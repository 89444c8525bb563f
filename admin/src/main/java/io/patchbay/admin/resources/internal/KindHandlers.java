package io.patchbay.admin.resources.internal;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.patchbay.admin.resources.ResourceKind;

/** The handler of every kind. */
public final class KindHandlers {

    private KindHandlers() {
    }

    public static Map<ResourceKind, KindHandler> all() {
        Map<ResourceKind, KindHandler> handlers = new EnumMap<>(ResourceKind.class);
        for (KindHandler handler : List.of(new EvaluatorHandler(), new ConditionHandler(), new AutomationHandler(),
                new EvaluationHandler())) {
            handlers.put(handler.kind(), handler);
        }
        return Collections.unmodifiableMap(handlers);
    }
}
