package io.patchbay.adapter.http;

/** The two public APIs patchbay serves; each has its own error format. */
public enum Api {
    /** Autousers, {@code /api/v1/...}: the {@code {"error":{...}}} envelope. */
    AUTOUSERS,
    /** Respan, {@code /api/automations/...}: Django REST Framework bodies. */
    RESPAN;

    public static Api forPath(String path) {
        return path.startsWith("/api/automations") ? RESPAN : AUTOUSERS;
    }
}
