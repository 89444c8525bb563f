package io.patchbay.adapter.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.patchbay.schemas.Ids;

/**
 * Gives every request a fresh UUID v7 and sets it as {@code X-Request-Id} on every response (a client's own
 * value is ignored). Handlers that replay a stored outcome overwrite it with the original id.
 */
public final class RequestIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    public static String of(HttpServletRequest request) {
        return (String) request.getAttribute(ATTRIBUTE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Ids.uuidV7();
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        if (request.getRequestURI().startsWith("/api/v1/")) {
            String version = Guard.resolvedVersionOrNull(request.getHeader("Autousers-Version"));
            if (version != null) {
                response.setHeader("Autousers-Version", version);
            }
        }
        chain.doFilter(request, response);
    }
}
