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

import io.patchbay.schemas.Ids;

/**
 * The API's error format for failures that never reach a handler: those the servlet container forwards to
 * {@code /error} (a {@code sendError} outside Spring MVC) and those Tomcat answers itself before any
 * servlet runs (a malformed or encoded-slash request target, for example). Without this they would be Boot's
 * {@code {"timestamp":…,"status":999}} JSON or Tomcat's HTML page without {@code X-Request-Id}. {@code /error}
 * called directly is an unknown route.
 */
@Configuration(proxyBeanMethods = false)
public class ErrorEnvelopes {

    /** Replaces Tomcat's HTML error report with the API's JSON one. */
    @Bean
    JsonErrorReports jsonErrorReports() {
        return new JsonErrorReports();
    }

    /** Runs after Boot's own customizer, which installs the plain {@link ErrorReportValve} this replaces. */
    static final class JsonErrorReports implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
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

        @RequestMapping("/error")
        ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (!(status instanceof Integer code) || uri == null) {
                return ApiExceptionHandler.respond(routeNotFound(request.getMethod(), request.getRequestURI()), request);
            }
            String requestId = decorate(uri.toString(), request.getHeader("Autousers-Version"), response);
            // An error dispatch is a GET (Servlet 6.1); the method that failed is kept in an attribute.
            Object method = request.getAttribute(RequestDispatcher.ERROR_METHOD);
            ApiError error = forStatus(code, method == null ? request.getMethod() : method.toString(), uri.toString());
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON);
            error.headers().forEach(answer::header);
            return answer.body(ApiExceptionHandler.body(Api.forPath(uri.toString()), error, requestId));
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
            String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
            String requestId = decorate(uri, request.getHeader("Autousers-Version"), response);
            ApiError error = forStatus(status, request.getMethod(), uri);
            error.headers().forEach(response::setHeader);
            byte[] body = ApiExceptionHandler.body(Api.forPath(uri), error, requestId);
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
     * The headers every response carries, for a response that did not pass {@link RequestIds} (it skips error
     * dispatches, and Tomcat's own refusals never reach it): {@code X-Request-Id}, and on {@code /api/v1}
     * routes {@code Autousers-Version} unless the request's header was invalid.
     *
     * @return the response's request id
     */
    static String decorate(String uri, String versionHeader, HttpServletResponse response) {
        String requestId = response.getHeader(RequestIds.HEADER);
        if (requestId == null) {
            requestId = Ids.uuidV7();
            response.setHeader(RequestIds.HEADER, requestId);
        }
        if (uri.startsWith("/api/v1/") && response.getHeader("Autousers-Version") == null) {
            String version = Guard.resolvedVersionOrNull(versionHeader);
            if (version != null) {
                response.setHeader("Autousers-Version", version);
            }
        }
        return requestId;
    }

    /** The error for a status the container decided, as close as possible to the handlers' own. */
    static ApiError forStatus(int status, String method, String uri) {
        if (status == 404) {
            return routeNotFound(method, uri);
        }
        if (status == 405) {
            return ApiError.of(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + method + " is not allowed on this route.", "Method \"" + method + "\" not allowed.")
                    .withHeader("Allow", uri.startsWith("/api/v1/commands/") ? "GET" : "GET, PATCH");
        }
        if (status >= 500) {
            return ApiError.of(status, "api_error", null, null,
                    "Something went wrong on our side. Quote the request id if you contact support.", "Internal server error");
        }
        String reason = status == 400 ? "The request could not be read (malformed request target or headers)."
                : "The request was refused with HTTP status " + status + ".";
        return ApiError.of(status, "invalid_request_error", null, null, reason, status == 400 ? "Bad request." : reason);
    }

    static ApiError routeNotFound(String method, String uri) {
        return ApiError.of(404, "not_found_error", "route_not_found", null, "No route for " + method + " " + uri + ".", "Not found.");
    }
}
