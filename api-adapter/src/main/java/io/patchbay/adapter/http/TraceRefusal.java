package io.patchbay.adapter.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses TRACE with the API's own 405 (and the X-Request-Id that {@link RequestIds} set), before any servlet
 * could echo the request and its credentials back. Runs right after {@link RequestIds}.
 */
public final class TraceRefusal extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"TRACE".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        ResponseEntity<byte[]> refusal = ApiExceptionHandler.respond(Routes.methodNotAllowed("TRACE", request.getRequestURI()), request);
        response.setStatus(refusal.getStatusCode().value());
        refusal.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        byte[] body = refusal.getBody();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
