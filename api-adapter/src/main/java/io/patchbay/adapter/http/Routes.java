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
     * {@code GET} on the command status route, the actuator's and the documentation's (the OpenAPI document and
     * Swagger UI), {@code GET, PATCH} on every resource route.
     */
    public static String allow(String uri) {
        return uri.startsWith(COMMANDS) || uri.startsWith("/actuator/") || uri.startsWith("/v3/api-docs")
                || uri.startsWith("/swagger-ui") ? "GET" : "GET, PATCH";
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
