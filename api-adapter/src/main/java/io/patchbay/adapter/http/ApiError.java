package io.patchbay.adapter.http;

import java.util.List;
import java.util.Map;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.rules.Decision;

/**
 * A refusal at request level, in neutral form; {@link ErrorRenderer} turns it into the API's own body.
 *
 * @param status HTTP status
 * @param type Autousers error type ({@code invalid_request_error}, ...)
 * @param errors one or more errors; Autousers shows the first, Respan all of them
 * @param respanDetail a DRF {@code detail} body for Respan, when the refusal is not a field error
 * @param headers extra response headers ({@code WWW-Authenticate}, {@code Allow})
 */
public record ApiError(int status, String type, List<CommandError> errors, String respanDetail,
                       Map<String, String> headers) {

    public static ApiError of(int status, String type, String code, String param, String message, String respanDetail) {
        return new ApiError(status, type, List.of(Decision.error(kindOf(status), code, param, message)), respanDetail, Map.of());
    }

    public static ApiError invalid(String param, String message) {
        return of(400, "invalid_request_error", null, param, message, null);
    }

    /**
     * The 500 of both APIs: nothing about the cause reaches the client (Respan's body is fixed, see
     * {@link ErrorRenderer#render}).
     */
    public static ApiError internal() {
        return of(500, "api_error", null, null, "Something went wrong on our side. Quote the request id if you contact support.",
                "Internal server error");
    }

    /** Field errors reported together (Respan). */
    public static ApiError fields(List<CommandError> errors) {
        return new ApiError(400, "invalid_request_error", errors, null, Map.of());
    }

    public ApiError withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiError(status, type, errors, respanDetail, Map.copyOf(copy));
    }

    public RuntimeException exception() {
        return new ApiException(this);
    }

    private static ErrorKind kindOf(int status) {
        return status == 404 ? ErrorKind.NOT_FOUND : status == 403 ? ErrorKind.FORBIDDEN : ErrorKind.INVALID;
    }

    /** Carries an {@link ApiError} out of a handler. */
    public static final class ApiException extends RuntimeException {
        private final transient ApiError error;

        public ApiException(ApiError error) {
            super(error.errors().isEmpty() ? error.respanDetail() : error.errors().get(0).getMessage(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }
}
