package io.patchbay.adapter.http;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure, the framework's own included, answered in the API's format with {@code X-Request-Id}; never
 * a stack trace in a body.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiError.ApiException.class)
    ResponseEntity<byte[]> apiError(ApiError.ApiException e, HttpServletRequest request) {
        return respond(e.error(), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(methodNotAllowed(e.getMethod()), request);
    }

    /** The 405 of both APIs, with {@code Allow: GET, PATCH}. */
    static ApiError methodNotAllowed(String method) {
        ApiError error = ApiError.of(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on this route.", "Method \"" + method + "\" not allowed.");
        return error.withHeader("Allow", "GET, PATCH");
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<byte[]> noRoute(Exception e, HttpServletRequest request) {
        return respond(ApiError.of(404, "not_found_error", "route_not_found", null,
                "No route for " + request.getMethod() + " " + request.getRequestURI() + ".", "Not found."), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        log.error("request {} failed", RequestIds.of(request), e);
        return respond(ApiError.of(500, "api_error", null, null,
                "Something went wrong on our side. Quote the request id if you contact support.", null), request);
    }

    static ResponseEntity<byte[]> respond(ApiError error, HttpServletRequest request) {
        Api api = Api.forPath(request.getRequestURI());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
        error.headers().forEach(response::header);
        byte[] body = error.status() == 500 && api == Api.RESPAN
                ? "{\"detail\":\"Internal server error\",\"error_code\":\"INTERNAL_ERROR\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : ErrorRenderer.render(api, error, RequestIds.of(request));
        return response.body(body);
    }
}
