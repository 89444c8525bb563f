package io.patchbay.adapter.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.patchbay.adapter.AdapterProperties;
import io.patchbay.adapter.auth.ApiKeyAuthenticator;
import io.patchbay.adapter.auth.ApiKeyStore;
import io.patchbay.adapter.auth.FailedAuthentications;
import io.patchbay.adapter.http.ApiExceptionHandler;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.http.JsonBodies;
import io.patchbay.adapter.http.RequestIds;
import io.patchbay.adapter.http.RequestShape;
import io.patchbay.adapter.http.TraceRefusal;
import io.patchbay.adapter.http.TraceResponse;
import io.patchbay.adapter.http.Traceparents;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.adapter.web.DeferredAnswers;
import io.patchbay.adapter.web.InlineAnswers;
import io.patchbay.adapter.web.PatchAdmission;
import io.patchbay.store.auth.ApiKeyHasher;

/**
 * Wires the HTTP edge, in the order a request meets it: the filters (request id, TRACE refusal, request shape,
 * {@code traceparent} answers), the guard (API keys and rate limits), the bound on pending PATCHes, JSON bodies, and
 * how a PATCH's answer is written (on the servlet thread or deferred).
 */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

    @Bean
    FilterRegistrationBean<RequestIds> requestIds() {
        FilterRegistrationBean<RequestIds> registration = new FilterRegistrationBean<>(new RequestIds());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * TRACE reaches the application (the container would answer a bare 405 without X-Request-Id), where
     * {@link TraceRefusal} refuses it like any other method not served; nothing ever echoes a request.
     */
    @Bean
    TomcatConnectorCustomizer traceReachesTheApplication() {
        return connector -> connector.setAllowTrace(true);
    }

    @Bean
    FilterRegistrationBean<TraceRefusal> traceRefusal() {
        FilterRegistrationBean<TraceRefusal> registration = new FilterRegistrationBean<>(new TraceRefusal());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** The W3C {@code traceparent} of the span in scope: the request's server span (Micrometer Tracing over OpenTelemetry). */
    @Bean
    Traceparents traceparents(Tracer tracer) {
        return new Traceparents(tracer);
    }

    /**
     * Every answer names its trace in a {@code traceparent} header; after Spring's observation filter
     * ({@code HIGHEST_PRECEDENCE + 1}), which opens the request's span.
     */
    @Bean
    FilterRegistrationBean<TraceResponse> traceResponse(Traceparents traceparents) {
        FilterRegistrationBean<TraceResponse> registration = new FilterRegistrationBean<>(new TraceResponse(traceparents));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestShape> requestShape() {
        FilterRegistrationBean<RequestShape> registration = new FilterRegistrationBean<>(new RequestShape());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    ApiKeyHasher apiKeyHasher(AdapterProperties properties) {
        try {
            return ApiKeyHasher.fromSettings(properties.apiKeyPepper(), properties.idempotencySecret());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("patchbay.api.api-key-pepper: " + e.getMessage(), e);
        }
    }

    @Bean
    Guard guard(Jdbi jdbi, AdapterProperties properties, Clock clock, ApiKeyHasher apiKeyHasher, AdapterMetrics metrics,
                ExecutorService answerExecutor) {
        FailedAuthentications failures = new FailedAuthentications(properties.failedAuthentication().limits(), System::nanoTime);
        return new Guard(new ApiKeyAuthenticator(ApiKeyStore.of(jdbi), apiKeyHasher, failures,
                properties.apiKeyCacheTtl(), clock, System::nanoTime, answerExecutor),
                properties.rateLimit().limiter(clock), metrics);
    }

    /**
     * The bound on pending PATCH requests ({@code patchbay.api.max-pending}), with the gauge
     * {@code patchbay.adapter.patches.pending} and the count of 503s over it, {@code patchbay.adapter.patches.busy}.
     */
    @Bean
    PatchAdmission patchAdmission(AdapterProperties properties, MeterRegistry meters) {
        PatchAdmission admission = new PatchAdmission(properties.maxPending());
        Gauge.builder("patchbay.adapter.patches.pending", admission, PatchAdmission::pending)
                .description("PATCH requests admitted and not answered yet").register(meters);
        FunctionCounter.builder("patchbay.adapter.patches.busy", admission, PatchAdmission::refused)
                .description("PATCH requests refused 503 because patchbay.api.max-pending were pending").register(meters);
        return admission;
    }

    @Bean
    JsonBodies jsonBodies(AdapterProperties properties) {
        return new JsonBodies(properties.maxBodyBytes());
    }

    /**
     * PATCH answers ready at once, and {@code Prefer: respond-async} 202s ready within {@code patchbay.api.inline-wait},
     * on the servlet thread, at most half of Tomcat's threads waiting at once, so that waiting requests never exhaust the pool; counted by
     * {@code patchbay.adapter.patch.answers{thread=servlet|async}}.
     */
    @Bean
    InlineAnswers inlineAnswers(AdapterProperties properties, MeterRegistry meters,
                                @Value("${server.tomcat.threads.max:200}") int servletThreads) {
        InlineAnswers answers = new InlineAnswers(properties.inlineWait(), Math.max(1, servletThreads / 2));
        FunctionCounter.builder("patchbay.adapter.patch.answers", answers, InlineAnswers::inline).tag("thread", "servlet")
                .description("PATCH answers given on the request's servlet thread").register(meters);
        FunctionCounter.builder("patchbay.adapter.patch.answers", answers, InlineAnswers::deferred).tag("thread", "async")
                .description("PATCH answers given as an asynchronous response (not ready within the inline wait)").register(meters);
        return answers;
    }

    /**
     * PATCH answers not ready within the inline wait, written by their completion. The asynchronous response's limit
     * outlasts the longest answer: the publish verdict (publish timeout plus the producer's grace) and the wait budget.
     */
    @Bean
    DeferredAnswers deferredAnswers(ApiExceptionHandler errors, AdapterProperties properties,
                                    ObservationRegistry observations) {
        return new DeferredAnswers(errors, properties.publishTimeout().plus(properties.commandWait()).plusSeconds(60),
                observations);
    }
}
