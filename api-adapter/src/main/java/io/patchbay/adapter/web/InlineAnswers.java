package io.patchbay.adapter.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import org.springframework.http.ResponseEntity;

/**
 * Answers a PATCH on its servlet thread when its answer is ready: at once, or, for a request that may wait, within a
 * short bound ({@code patchbay.api.inline-wait}); otherwise it hands the pending answer on ({@link DeferredAnswers}:
 * an asynchronous response, which holds no thread, written by the answer's completion).
 *
 * <p>The 202 of {@code Prefer: respond-async} is ready a few milliseconds after the request, as soon as the broker
 * acknowledged the command, so waiting for it on the servlet thread saves the asynchronous response's bookkeeping; a
 * synchronous PATCH waits for the processor (tens to hundreds of milliseconds under load), and waiting for it inline
 * measured no cheaper and held threads, so the caller passes {@code mayWait} false for it (BENCHMARKS.md, "Answering
 * on the servlet thread"). At most {@code maxWaiting} servlet threads wait at once (issue 11 item 4: waiting requests
 * must not exhaust the container's pool); a request that finds them all waiting, or whose answer is not ready in
 * time, is answered later.
 */
public final class InlineAnswers {

    private final long boundNanos;
    private final int maxWaiting;
    private final Semaphore waiting;
    private final LongAdder inline = new LongAdder();
    private final LongAdder deferred = new LongAdder();

    /**
     * @param bound how long a servlet thread waits for the answer; zero answers inline only what is ready at once
     * @param maxWaiting how many servlet threads may wait at once
     */
    public InlineAnswers(Duration bound, int maxWaiting) {
        this.boundNanos = Math.max(0, bound.toNanos());
        this.maxWaiting = Math.max(0, maxWaiting);
        this.waiting = new Semaphore(this.maxWaiting);
    }

    /**
     * The response to return from the handler: {@code respond} applied to the answer when it is ready at once or, if
     * {@code mayWait}, within the bound (on this thread); else {@code null}, after handing the future of it to
     * {@code later}.
     *
     * @throws Exception the answer's failure, for the handler's exception handling
     */
    public <T> ResponseEntity<byte[]> answer(CompletableFuture<T> answer, boolean mayWait,
                                             Function<T, ResponseEntity<byte[]>> respond,
                                             Consumer<CompletableFuture<ResponseEntity<byte[]>>> later) throws Exception {
        if (answer.isDone() || mayWait && awaited(answer)) {
            inline.increment();
            return respond.apply(result(answer));
        }
        deferred.increment();
        later.accept(answer.thenApply(respond));
        return null;
    }

    /** Answers given on the servlet thread, without an asynchronous response. */
    public long inline() {
        return inline.sum();
    }

    /** Answers handed on, to be written when they are ready. */
    public long deferred() {
        return deferred.sum();
    }

    /** Servlet threads waiting for their answer now. */
    int waitingNow() {
        return maxWaiting - waiting.availablePermits();
    }

    private boolean awaited(CompletableFuture<?> answer) {
        if (boundNanos == 0 || !waiting.tryAcquire()) {
            return false;
        }
        try {
            answer.get(boundNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer.isDone();
        } finally {
            waiting.release();
        }
    }

    /** The completed answer, or its failure unwrapped. */
    private static <T> T result(CompletableFuture<T> answer) throws Exception {
        try {
            return answer.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
