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
 * Every failure of a handler, the framework's own included, answered in the API's format with
 * {@code X-Request-Id}; never a stack trace in a body. Failures outside Spring MVC are {@link ErrorEnvelopes}'.
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
        return respond(Routes.methodNotAllowed(e.getMethod(), request.getRequestURI()), request);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<byte[]> noRoute(Exception e, HttpServletRequest request) {
        return respond(Routes.notFound(request.getMethod(), request.getRequestURI()), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        log.error("request {} failed", RequestIds.of(request), e);
        return respond(ApiError.internal(), request);
    }

    /** {@code error} as the response to {@code request}, in the format of the API its path belongs to. */
    static ResponseEntity<byte[]> respond(ApiError error, HttpServletRequest request) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
        error.headers().forEach(response::header);
        return response.body(ErrorRenderer.render(Api.forPath(request.getRequestURI()), error, RequestIds.of(request)));
    }
}
