package io.patchbay.adapter.http;

/**
 * The methods each route of the adapter allows, and the 405 that refuses any other: the one source of the
 * {@code Allow} header, whether the refusal comes from a handler, the container or {@link TraceRefusal}.
 */
public final class Routes {

    /** The command status route, the only one without PATCH. */
    public static final String COMMANDS = "/api/v1/commands/";

    private Routes() {
    }

    /**
     * {@code GET} on the routes that only read: the command status route, the history routes (a resource's changes
     * and the team's feed), the actuator's and the documentation's (the OpenAPI document and Swagger UI);
     * {@code GET, PATCH} on every resource route. RFC 9110 §15.5.6: a 405's {@code Allow} lists the methods the
     * target resource supports, so a read-only route must not offer PATCH.
     */
    public static String allow(String uri) {
        return uri.startsWith(COMMANDS) || uri.startsWith("/actuator/") || uri.startsWith("/v3/api-docs")
                || uri.startsWith("/swagger-ui") || isHistory(uri) ? "GET" : "GET, PATCH";
    }

    /**
     * Whether {@code uri} (the raw request path) is a history route: {@code /api/v1/changes},
     * {@code /api/v1/evaluations/{id}/changes} or {@code /api/automations/{id}/changes} with or without its slash.
     */
    static boolean isHistory(String uri) {
        String[] segments = uri.split("/", -1);
        boolean automation = uri.startsWith("/api/automations/") && segments.length >= 5 && !segments[3].isEmpty()
                && segments[4].equals("changes");
        return switch (segments.length) {
            case 4 -> uri.equals("/api/v1/changes");
            case 5 -> automation;
            case 6 -> automation && segments[5].isEmpty()
                    || uri.startsWith("/api/v1/evaluations/") && !segments[4].isEmpty() && segments[5].equals("changes");
            default -> false;
        };
    }

    /** The 405 of both APIs for {@code method} on {@code uri}, with its {@code Allow} header. */
    public static ApiError methodNotAllowed(String method, String uri) {
        return ApiError.of(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on this route.", "Method \"" + method + "\" not allowed.")
                .withHeader("Allow", allow(uri));
    }

    /** The 404 of a path no route serves. */
    public static ApiError notFound(String method, String uri) {
        return ApiError.of(404, "not_found_error", "route_not_found", null, "No route for " + method + " " + uri + ".",
                "Not found.");
    }
}
