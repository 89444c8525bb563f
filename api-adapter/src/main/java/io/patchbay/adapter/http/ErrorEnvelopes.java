package io.patchbay.adapter.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/**
 * The API's error format for failures that never reach a handler: those the servlet container forwards to
 * {@code /error} (a {@code sendError} outside Spring MVC) and those Tomcat answers itself before any
 * servlet runs (a malformed or encoded-slash request target, for example). Without this they would be Boot's
 * {@code {"timestamp":…,"status":999}} JSON or Tomcat's HTML page without {@code X-Request-Id}. {@code /error}
 * requested directly is an unknown route ({@link RequestShape} answers it before it gets here).
 */
@Configuration(proxyBeanMethods = false)
public class ErrorEnvelopes {

    /** Where the container forwards the failures it renders through the application (Boot's {@code server.error.path}). */
    static final String ERROR_PATH = "/error";

    /** Replaces Tomcat's HTML error report with the API's JSON one. */
    @Bean
    JsonErrorReports jsonErrorReports() {
        return new JsonErrorReports();
    }

    /** Runs after Boot's own customizer, which installs the plain {@link ErrorReportValve} this replaces. */
    static final class JsonErrorReports implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addConnectorCustomizers(AsteriskTarget::install);
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    // Named too, so that the host does not add a default ErrorReportValve of its own at start.
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                    host.getPipeline().addValve(new JsonErrorReportValve());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** {@code /error}: the container's error dispatch, rendered in the failing route's API format. */
    @RestController
    static class ErrorDispatch implements ErrorController {

        @RequestMapping(ERROR_PATH)
        ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (!(status instanceof Integer code) || uri == null) {
                return ApiExceptionHandler.respond(Routes.notFound(request.getMethod(), request.getRequestURI()), request);
            }
            String requestId = RequestIds.stamp(uri.toString(), request.getHeader(RequestIds.VERSION_HEADER), response);
            // An error dispatch is a GET (Servlet 6.1); the method that failed is kept in an attribute.
            Object method = request.getAttribute(RequestDispatcher.ERROR_METHOD);
            ApiError error = forStatus(code, method == null ? request.getMethod() : method.toString(), uri.toString());
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
            error.headers().forEach(answer::header);
            return answer.body(ErrorRenderer.render(Api.forPath(uri.toString()), error, requestId));
        }
    }

    /** Tomcat's last resort, for errors decided before any servlet ran: JSON, a request id, no server details. */
    public static final class JsonErrorReportValve extends ErrorReportValve {

        public JsonErrorReportValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String unread = ContainerRefusals.unreadPart(throwable);
            String uri = request.getRequestURI() != null ? request.getRequestURI()
                    : unread != null && unread.startsWith("/") ? unread : "";
            String requestId = RequestIds.stamp(uri, request.getHeader(RequestIds.VERSION_HEADER), response);
            ApiError error = ContainerRefusals.isIdempotencyKeyHeader(unread) ? Guard.invalidIdempotencyKey()
                    : forStatus(status, request.getMethod(), uri);
            response.setStatus(error.status());
            error.headers().forEach(response::setHeader);
            byte[] body = ErrorRenderer.render(Api.forPath(uri), error, requestId);
            try {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(new String(body, StandardCharsets.UTF_8));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response is already committed: nothing more to say.
            }
        }
    }

    /**
     * The error for a status the container or the framework decided, as close as possible to the handlers' own. A
     * request the server cannot serve is the client's doing and never a 5xx: a method Tomcat does not implement
     * ({@code CONNECT}, 501) is a 405 like any other method, an HTTP version other than 1.x (505) a 400.
     */
    static ApiError forStatus(int status, String method, String uri) {
        if (status == 404) {
            return Routes.notFound(method, uri);
        }
        if (status == 405 || status == 501) {
            return Routes.methodNotAllowed(method, uri);
        }
        if (status == 505) {
            return ApiError.of(400, "invalid_request_error", null, null, "Only HTTP/1.1 and HTTP/1.0 are served.", "Bad request.");
        }
        if (status >= 500) {
            return ApiError.internal();
        }
        String reason = ContainerRefusals.reason(status);
        return ApiError.of(status, "invalid_request_error", null, null, reason, status == 400 ? "Bad request." : reason);
    }
}
