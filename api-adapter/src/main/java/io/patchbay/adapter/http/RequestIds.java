package io.patchbay.adapter.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

import io.patchbay.schemas.Ids;

/**
 * The one place that writes the headers every response carries (api-contract §1.2, §3.2): a fresh UUID v7
 * {@code X-Request-Id} (a client's own value is ignored) and, on {@code /api/v1} routes, the resolved
 * {@code Autousers-Version} unless the request's header was invalid. As a filter it stamps every request that
 * reaches the application; {@link ErrorEnvelopes} stamps the responses that never reach it, and a replay
 * overwrites both with the original request's values ({@link #replayed}).
 */
public final class RequestIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String VERSION_HEADER = "Autousers-Version";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    /** The request id of {@code request}. */
    public static String of(HttpServletRequest request) {
        return (String) request.getAttribute(ATTRIBUTE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ATTRIBUTE, stamp(request.getRequestURI(), request.getHeader(VERSION_HEADER), response));
        chain.doFilter(request, response);
    }

    /**
     * Sets the request id (a new one unless the response has one) and, on {@code /api/v1} routes, the resolved
     * version; returns the request id.
     */
    static String stamp(String uri, String versionHeader, HttpServletResponse response) {
        String requestId = response.getHeader(HEADER);
        if (requestId == null) {
            requestId = Ids.uuidV7();
            response.setHeader(HEADER, requestId);
        }
        if (uri.startsWith("/api/v1/") && response.getHeader(VERSION_HEADER) == null) {
            String version = Guard.resolvedVersionOrNull(versionHeader);
            if (version != null) {
                response.setHeader(VERSION_HEADER, version);
            }
        }
        return requestId;
    }

    /**
     * Marks {@code response} as the replay of an earlier request (api-contract §2.4): that request's id and, on
     * Autousers routes, its version, plus {@code Idempotent-Replayed: true}.
     */
    public static ResponseEntity.BodyBuilder replayed(ResponseEntity.BodyBuilder response, Api api, String requestId,
                                                      String apiVersion) {
        response.header(HEADER, requestId).header("Idempotent-Replayed", "true");
        if (api == Api.AUTOUSERS && apiVersion != null) {
            response.header(VERSION_HEADER, apiVersion);
        }
        return response;
    }
}
