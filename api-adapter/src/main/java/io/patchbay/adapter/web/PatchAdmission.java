package io.patchbay.adapter.web;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.http.HttpHeaders;

import io.patchbay.adapter.http.ApiError;

/**
 * Bounds the PATCH requests one adapter holds at once, from their admission until their response is complete
 * ({@code patchbay.api.max-pending}): a request over the bound is refused at once with 503 and {@code Retry-After},
 * in its API's format, before its body is read or anything is published. A permit is held until the response is
 * written, not only until the answer is known: under overload a ready answer waits for a container thread to write
 * it, and holds its buffers meanwhile.
 *
 * <p>A pending PATCH holds the container's buffers for its connection, request and response (about 100 KB in Tomcat,
 * measured in BENCHMARKS.md, "An adapter that outlives a burst"), and a synchronous one holds them for up to
 * {@code patchbay.api.command-wait}. Without a bound, a burst that the adapter cannot answer as fast as it arrives (a
 * cold JIT after start, a processor that stopped) grows them until the heap runs out, and a JVM whose threads died of
 * {@link OutOfMemoryError} stopped answering for good. With it, memory stays bounded and the adapter keeps answering:
 * the requests it holds get their answers, the rest are told to retry.
 */
public final class PatchAdmission {

    /** The 503 of a PATCH over the bound: the client retries, nothing was published. */
    static final ApiError BUSY = ApiError.of(503, "api_error", "server_busy", null,
            "The server is handling too many requests; retry after 1 second.",
            "The server is handling too many requests; retry after 1 second.")
            .withHeader(HttpHeaders.RETRY_AFTER, "1");

    private final int limit;
    private final Semaphore permits;
    private final LongAdder refused = new LongAdder();

    /** @param limit how many PATCH requests may be pending at once (at least 1) */
    public PatchAdmission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("patchbay.api.max-pending must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /**
     * Admits one PATCH; release the permit once its response is complete, or when it fails.
     *
     * @throws ApiError.ApiException the 503 when {@code limit} PATCH requests are pending already
     */
    public Permit admit() {
        if (!permits.tryAcquire()) {
            refused.increment();
            throw BUSY.exception();
        }
        return new Permit();
    }

    /** PATCH requests admitted and not answered yet. */
    public int pending() {
        return limit - permits.availablePermits();
    }

    /** PATCH requests refused with 503 so far. */
    public long refused() {
        return refused.sum();
    }

    /** One admitted PATCH; releasing it more than once releases it once. */
    public final class Permit {

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }
}
