package io.patchbay.adapter.http;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Request shapes the contract leaves to us, decided before Spring MVC sees them:
 * <ul>
 *   <li>The request target {@code *} ({@code OPTIONS *}, see {@link AsteriskTarget}) is a 405 for {@code OPTIONS}
 *       (no method is served on it; {@code Allow} lists those of the resource routes) and a 400 for any other.</li>
 *   <li>The container's error path ({@code /error}, where failures outside Spring MVC are rendered) requested
 *       directly names no route: the {@code 404 route_not_found} of any unrouted path, for every method (the
 *       framework would answer {@code OPTIONS} on it itself, an empty 200 that lists every method).</li>
 *   <li>A path with {@code ;} parameters ({@code /api/v1/evaluations/a;b=c}) names no route: a 404, instead of the
 *       framework silently addressing {@code a}. An id that contains a {@code ;} is sent encoded ({@code %3B}).</li>
 *   <li>CORS is not served (api-contract §1.3): a preflight ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}) is answered as the plain {@code OPTIONS} it is, a 405 with
 *       {@code Allow: GET, PATCH}, instead of the framework's empty 200 that advertises every method.</li>
 *   <li>The actuator's endpoints (health) take no body, but the framework parses the {@code Content-Type} of any
 *       request to them and fails on values such as {@code application/*}: it is hidden from them, and so are the
 *       CORS headers (a malformed preflight got the framework's empty 403). {@code OPTIONS} on them is the 405 it is
 *       on every other route (the framework would answer an empty 200). A 404 the actuator answers with an empty
 *       body ({@code /actuator/health/unknown}) gets the API's 404 like any other path no route serves, and so does
 *       a path to it with a dot or empty segment ({@code /actuator/health/..//liveness}), which the framework matches
 *       unnormalized and the health endpoint failed on (a 500).</li>
 *   <li>A request whose {@code Content-Type} has a wildcard ({@code *}{@code /*}, {@code application/*}) has no
 *       character encoding: the framework, building the 404 of a path no route serves, adds the request's
 *       encoding to its type as a charset, and a wildcard type cannot carry one (a 500). The {@code Content-Type}
 *       itself stays, so a PATCH with it still gets the 415 of §4.6; no body is read as text.</li>
 * </ul>
 */
public final class RequestShape extends OncePerRequestFilter {

    private static final Set<String> PREFLIGHT_HEADERS = headers("Origin", "Access-Control-Request-Method",
            "Access-Control-Request-Headers");
    private static final Set<String> ACTUATOR_HIDDEN = headers("Content-Type", "Origin", "Access-Control-Request-Method",
            "Access-Control-Request-Headers");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(AsteriskTarget.ATTRIBUTE) != null) {
            ApiError refusal = "OPTIONS".equals(request.getMethod()) ? Routes.methodNotAllowed("OPTIONS", "*")
                    : ErrorEnvelopes.forStatus(400, request.getMethod(), "*");
            ApiExceptionHandler.write(refusal, request, response);
            return;
        }
        if (request.getRequestURI().indexOf(';') >= 0 || isErrorPath(request)) {
            ApiExceptionHandler.write(Routes.notFound(request.getMethod(), request.getRequestURI()), request, response);
            return;
        }
        if (request.getRequestURI().startsWith("/actuator/") && hasDotOrEmptySegment(request.getRequestURI())) {
            ApiExceptionHandler.write(Routes.notFound(request.getMethod(), request.getRequestURI()), request, response);
        } else if (request.getRequestURI().startsWith("/actuator/") && "OPTIONS".equals(request.getMethod())) {
            ApiExceptionHandler.write(Routes.methodNotAllowed("OPTIONS", request.getRequestURI()), request, response);
        } else if (request.getRequestURI().startsWith("/actuator/")) {
            actuator(new Without(request, ACTUATOR_HIDDEN), response, chain);
        } else if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            chain.doFilter(withoutEncodingIfWildcard(new Without(request, PREFLIGHT_HEADERS)), response);
        } else if (hasWildcardContentType(request)) {
            chain.doFilter(withoutEncodingIfWildcard(request), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** Whether the request names the container's error path, as the framework would match it (decoded, normalized). */
    static boolean isErrorPath(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return ErrorEnvelopes.ERROR_PATH.equals(pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo);
    }

    /**
     * Whether a path has a segment that is empty ({@code //}) or a dot segment ({@code .}, {@code ..}, also
     * percent-encoded) before its last; a trailing slash alone is not one.
     */
    static boolean hasDotOrEmptySegment(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].toLowerCase(java.util.Locale.ROOT).replace("%2e", ".");
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..") || segment.isEmpty() && !last) {
                return true;
            }
        }
        return false;
    }

    /** The actuator's answer, except that its bodiless 404 becomes the API's. */
    private static void actuator(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        if (held.getStatus() == HttpServletResponse.SC_NOT_FOUND && held.getContentSize() == 0 && !response.isCommitted()) {
            response.reset();
            response.setHeader(RequestIds.HEADER, RequestIds.of(request));
            ApiExceptionHandler.write(Routes.notFound(request.getMethod(), request.getRequestURI()), request, response);
            return;
        }
        held.copyBodyToResponse();
    }

    /** {@code request}, without a character encoding when its {@code Content-Type} is a wildcard. */
    private static HttpServletRequest withoutEncodingIfWildcard(HttpServletRequest request) {
        if (!hasWildcardContentType(request)) {
            return request;
        }
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getCharacterEncoding() {
                return null;
            }
        };
    }

    /** Whether the request's {@code Content-Type} is a wildcard the framework cannot attach a charset to. */
    static boolean hasWildcardContentType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || contentType.indexOf('*') < 0) {
            return false;
        }
        try {
            return !MediaType.parseMediaType(contentType).isConcrete();
        } catch (InvalidMediaTypeException e) {
            return true;
        }
    }

    private static Set<String> headers(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }

    /** The request with some headers hidden. */
    private static final class Without extends HttpServletRequestWrapper {

        private final Set<String> hidden;

        Without(HttpServletRequest request, Set<String> hidden) {
            super(request);
            this.hidden = hidden;
        }

        @Override
        public String getHeader(String name) {
            return hidden.contains(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden.contains(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !hidden.contains(name)).toList());
        }

        @Override
        public String getContentType() {
            return hidden.contains("Content-Type") ? null : super.getContentType();
        }
    }
}
