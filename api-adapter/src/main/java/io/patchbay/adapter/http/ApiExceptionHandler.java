package io.patchbay.adapter.http;

import java.io.IOException;
import java.net.SocketTimeoutException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
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

    /**
     * The framework's own refusals of a request (an unreadable or unsupported body on an actuator route, an
     * unacceptable {@code Accept}, a query parameter that does not decode, ...) keep their 4xx status, in the API's format; anything else is a 500.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        int status = clientErrorStatus(e);
        if (status > 0) {
            return respond(ErrorEnvelopes.forStatus(status, request.getMethod(), request.getRequestURI()), request);
        }
        log.error("request {} failed", RequestIds.of(request), e);
        return respond(ApiError.internal(), request);
    }

    /**
     * The 4xx status the framework gives {@code e}, or 0 when it is not a refusal of the request. A request whose
     * body stops arriving is the client's doing too: a read that timed out (the body is shorter than its
     * {@code Content-Length} and the client waits, see {@code server.tomcat.connection-timeout}) is a 408, a client
     * that went away while its body was read a 400 nobody reads (Tomcat has flagged the response with the same).
     */
    static int clientErrorStatus(Exception e) {
        boolean unread = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return 408;
            }
            unread |= cause instanceof ClientAbortException;
        }
        if (unread) {
            return 400;
        }
        int status = e instanceof ErrorResponse framework ? framework.getStatusCode().value()
                : e instanceof HttpMessageNotReadableException || e instanceof TypeMismatchException
                        || e instanceof MultipartException || e instanceof InvalidParameterException ? 400 : 0;
        return status >= 400 && status < 500 ? status : 0;
    }

    /**
     * The answer to a failure outside a handler's own call, such as an asynchronous answer's: what the handler methods
     * above answer for it when a handler throws it.
     */
    public ResponseEntity<byte[]> answer(Throwable failure, HttpServletRequest request) {
        if (failure instanceof ApiError.ApiException api) {
            return apiError(api, request);
        }
        return unexpected(failure instanceof Exception exception ? exception : new IllegalStateException(failure), request);
    }

    /** Writes {@code error} as the response to {@code request} from a filter, before any handler runs. */
    static void write(ApiError error, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.write(respond(error, request), response);
    }

    /** {@code error} as the response to {@code request}, in the format of the API its path belongs to. */
    static ResponseEntity<byte[]> respond(ApiError error, HttpServletRequest request) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
        error.headers().forEach(response::header);
        return response.body(ErrorRenderer.render(Api.forPath(request.getRequestURI()), error, RequestIds.of(request)));
    }
}
