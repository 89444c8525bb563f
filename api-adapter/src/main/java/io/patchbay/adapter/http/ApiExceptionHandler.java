package io.patchbay.adapter.http;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
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
        return respond(methodNotAllowed(e.getMethod(), allow(e)), request);
    }

    /** The 405 of both APIs, with the {@code Allow} header. */
    static ApiError methodNotAllowed(String method, String allow) {
        ApiError error = ApiError.of(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on this route.", "Method \"" + method + "\" not allowed.");
        return error.withHeader("Allow", allow);
    }

    /** The methods the route serves, of the two the APIs have ({@code GET, PATCH}); HEAD and OPTIONS are not advertised. */
    static String allow(HttpRequestMethodNotSupportedException e) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods() == null ? Set.of() : e.getSupportedHttpMethods();
        List<String> methods = Stream.of(HttpMethod.GET, HttpMethod.PATCH).filter(supported::contains).map(HttpMethod::name).toList();
        return methods.isEmpty() ? "GET, PATCH" : String.join(", ", methods);
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
        return response.body(body(api, error, RequestIds.of(request)));
    }

    /** The API's body for {@code error}; Respan's 5xx body is fixed ([KW-errors]). */
    static byte[] body(Api api, ApiError error, String requestId) {
        return error.status() >= 500 && api == Api.RESPAN
                ? "{\"detail\":\"Internal server error\",\"error_code\":\"INTERNAL_ERROR\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : ErrorRenderer.render(api, error, requestId);
    }
}
