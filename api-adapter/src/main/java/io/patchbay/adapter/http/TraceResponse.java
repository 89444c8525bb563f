package io.patchbay.adapter.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes the request's {@code traceparent} ({@link Traceparents}: the adapter's server span, in the client's trace when
 * it sent one) on the response, before the handler runs, so that every answer of a request that reached the
 * application, asynchronous ones included, names the trace its command, change event and result belong to. Ordered
 * after Spring's {@code ServerHttpObservationFilter}, which opens that span.
 */
public final class TraceResponse extends OncePerRequestFilter {

    private final Traceparents traceparents;

    public TraceResponse(Traceparents traceparents) {
        this.traceparents = traceparents;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceparent = traceparents.current();
        if (traceparent != null) {
            response.setHeader(Traceparents.HEADER, traceparent);
        }
        chain.doFilter(request, response);
    }
}
