package io.patchbay.adapter.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.patchbay.adapter.http.ApiExceptionHandler;
import io.patchbay.adapter.http.Responses;

/**
 * Answers a PATCH whose answer is not ready when its handler returns: the request becomes an asynchronous servlet
 * response, which holds no thread while it waits, and the answer's completion writes it on one of the container's
 * threads ({@link AsyncContext#start}) and completes the response.
 *
 * <p>Spring MVC would instead dispatch the request a second time through Tomcat, the filters and the
 * {@code DispatcherServlet} to write the same answer (17% of the adapter's request-thread samples in the profile,
 * BENCHMARKS.md, "Writing PATCH answers without Spring MVC's second pass"). Nothing in that second pass adds to the
 * answer: the filters stamped their headers ({@code X-Request-Id}, the version echo, {@code traceparent}) in the first
 * one, the request's observation ends when the asynchronous response completes (Spring's
 * {@code ServerHttpObservationFilter} listens for it), and a failed answer is rendered by the same
 * {@link ApiExceptionHandler} that a handler's failure reaches. The answer is written in the scope of the request's
 * observation, as a handler is, so that what it logs carries the request's trace and span ids.
 */
public final class DeferredAnswers {

    private static final Logger log = LoggerFactory.getLogger(DeferredAnswers.class);

    private final ApiExceptionHandler errors;
    private final long timeoutMillis;
    private final ObservationRegistry observations;

    /**
     * @param timeout the asynchronous response's limit: longer than any answer takes (the publish verdict and the
     *     outcome wait), so that it only catches an answer that never completes, with the 500 Spring MVC gave it
     * @param observations where the request's observation is current on its servlet thread; the answer is written in
     *     its scope, so that what it logs (a 500's error) carries the request's trace and span ids
     */
    public DeferredAnswers(ApiExceptionHandler errors, Duration timeout, ObservationRegistry observations) {
        this.errors = errors;
        this.timeoutMillis = timeout.toMillis();
        this.observations = observations;
    }

    /**
     * Starts the asynchronous response of {@code request}, which {@code answer}'s completion writes and completes;
     * {@code completed} runs once the response is complete (written, timed out or failed).
     */
    public void answerLater(CompletableFuture<ResponseEntity<byte[]>> answer, HttpServletRequest request,
                            HttpServletResponse response, Runnable completed) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        AtomicBoolean answered = new AtomicBoolean();
        Observation observation = observations.getCurrentObservation();
        async.addListener(new Unanswered(answered, request, response, observation, completed));
        answer.whenComplete((entity, failure) -> {
            if (answered.compareAndSet(false, true)) {
                start(async, () -> Observation.tryScoped(observation, () -> write(entity != null ? entity
                        : errors.answer(unwrap(failure), request), response, async)));
            }
        });
    }

    private static void start(AsyncContext async, Runnable writing) {
        try {
            async.start(writing);
        } catch (IllegalStateException e) {
            log.debug("the asynchronous response ended before its answer was ready", e);
        }
    }

    private static void write(ResponseEntity<byte[]> entity, HttpServletResponse response, AsyncContext async) {
        try {
            Responses.write(entity, response);
        } catch (IOException e) {
            log.debug("the client went away before its answer was written", e);
        } finally {
            async.complete();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * Ends a response whose answer did not come in time (a 500, as before) or whose connection failed, and tells the
     * caller when the response is complete.
     */
    private final class Unanswered implements AsyncListener {

        private final AtomicBoolean answered;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Observation observation;
        private final Runnable completed;

        Unanswered(AtomicBoolean answered, HttpServletRequest request, HttpServletResponse response,
                   Observation observation, Runnable completed) {
            this.answered = answered;
            this.request = request;
            this.response = response;
            this.observation = observation;
            this.completed = completed;
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (answered.compareAndSet(false, true)) {
                Observation.tryScoped(observation, () -> write(
                        errors.answer(new AsyncRequestTimeoutException(), request), response, event.getAsyncContext()));
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (answered.compareAndSet(false, true)) {
                event.getAsyncContext().complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            completed.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
