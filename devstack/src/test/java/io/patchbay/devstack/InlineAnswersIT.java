package io.patchbay.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.junit.TestNamespace;

/**
 * A {@code Prefer: respond-async} PATCH whose 202 is ready within {@code patchbay.api.inline-wait} is answered on its
 * servlet thread, without an asynchronous response; one not ready in time, and a synchronous PATCH (which waits for
 * the processor), is an asynchronous response that the answer's completion writes, without a second dispatch through
 * the container. Both carry the same answer and headers, and both are counted in {@code http.server.requests}.
 */
class InlineAnswersIT {

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("inline-answers");

    /** Whether each PATCH's first dispatch started an asynchronous response, in the order they were answered. */
    private final List<Boolean> asyncStarted = new CopyOnWriteArrayList<>();
    /** Dispatches of the container's {@code ASYNC} type: Spring MVC's second pass to write an asynchronous answer. */
    private final AtomicInteger asyncDispatches = new AtomicInteger();

    @Test
    void aRespondAsyncAnswerReadyWithinTheBoundStartsNoAsynchronousResponseAndASynchronousPatchIsWrittenByItsCompletion() {
        List<String> evaluations = FaultData.seed(ns.jdbi(), 2).evaluations();
        PatchbayApps.Settings settings = settings();
        try (ConfigurableApplicationContext processor = PatchbayApps.startProcessor(settings, Map.of());
             ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of(
                     "patchbay.api.command-wait", "60s", "patchbay.api.inline-wait", "60s"), probe())) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));

            HttpResponse<String> accepted = patch(http, evaluations.get(0), "async").header("Prefer", "respond-async").send();
            awaitObserved(adapter, 1);
            // the synchronous PATCH waits for the processor: never on the servlet thread, however long the bound
            HttpResponse<String> applied = patch(http, evaluations.get(1), "sync").send();
            awaitObserved(adapter, 2);

            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(applied.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(applied).get("name").asText()).isEqualTo("sync");
            assertThat(asyncStarted).as("asynchronous response started, per PATCH").containsExactly(false, true);
            assertThat(asyncDispatches).as("second dispatches through the container").hasValue(0);
            assertEchoHeaders(accepted);
            assertEchoHeaders(applied);
            assertThat(answers(adapter, "servlet")).isEqualTo(1);
            assertThat(answers(adapter, "async")).isEqualTo(1);
        }
    }

    @Test
    void aRespondAsyncAnswerNotReadyWithinTheBoundIsWrittenByItsCompletion() throws Exception {
        List<String> evaluations = FaultData.seed(ns.jdbi(), 1).evaluations();
        HeldAcknowledgements.hold();
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings(), Map.of(
                "patchbay.api.inline-wait", "100ms",
                "spring.kafka.producer.properties.interceptor.classes", HeldAcknowledgements.class.getName()), probe())) {
            ApiClient http = new ApiClient(PatchbayApps.localPort(adapter));

            CompletableFuture<HttpResponse<String>> pending =
                    patch(http, evaluations.get(0), "late").header("Prefer", "respond-async").sendAsync();
            // the broker's acknowledgement is held until the PATCH's first dispatch has ended, bound or no bound
            Poll.until("the PATCH's first dispatch ended", Duration.ofSeconds(30), () -> !asyncStarted.isEmpty());
            HeldAcknowledgements.release();
            HttpResponse<String> accepted = pending.get(60, TimeUnit.SECONDS);
            awaitObserved(adapter, 1);

            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).contains("/api/v1/commands/"));
            assertThat(ApiClient.json(accepted).get("status").asText()).isEqualTo("PENDING");
            assertThat(asyncStarted).as("asynchronous response started, per PATCH").containsExactly(true);
            assertThat(asyncDispatches).as("second dispatches through the container").hasValue(0);
            assertEchoHeaders(accepted);
            assertThat(answers(adapter, "servlet")).isZero();
            assertThat(answers(adapter, "async")).isEqualTo(1);
            assertThat(HeldAcknowledgements.acknowledged).as("acknowledgements held by the interceptor").hasValue(1);
        } finally {
            HeldAcknowledgements.release();
        }
    }

    private PatchbayApps.Settings settings() {
        return new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
    }

    private static ApiClient.Call patch(ApiClient http, String id, String name) {
        return http.patchEvaluation(id, FaultData.TOKEN, "{\"name\":\"" + name + "\"}").timeout(Duration.ofSeconds(60));
    }

    /** The headers every answer carries, whichever thread gave it (api-contract §1.2, §3.2; the trace). */
    private static void assertEchoHeaders(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(response.headers().firstValue("Autousers-Version")).isPresent();
        assertThat(response.headers().firstValue("traceparent")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    private static double answers(ConfigurableApplicationContext adapter, String thread) {
        return adapter.getBean(MeterRegistry.class).get("patchbay.adapter.patch.answers").tag("thread", thread)
                .functionCounter().count();
    }

    /**
     * The response may reach the client before its request's filters return (the body is flushed), so the probe's note
     * and the observation of {@code http.server.requests} are awaited: {@code count} of each, and no more.
     */
    private void awaitObserved(ConfigurableApplicationContext adapter, int count) {
        Poll.until(count + " PATCHes noted by the probe and in http.server.requests", Duration.ofSeconds(10),
                () -> asyncStarted.size() >= count && patchesObserved(adapter) >= count);
        assertThat(patchesObserved(adapter)).as("http.server.requests of the PATCH route").isEqualTo(count);
    }

    private static long patchesObserved(ConfigurableApplicationContext adapter) {
        // find, not get: the timer exists only once the first PATCH's observation has stopped
        return adapter.getBean(MeterRegistry.class).find("http.server.requests").tag("method", "PATCH")
                .tag("uri", "/api/v1/evaluations/{id}").timers().stream().mapToLong(timer -> timer.count()).sum();
    }

    /**
     * A filter, innermost, that notes after each PATCH's first dispatch whether it started an asynchronous response,
     * and counts the asynchronous dispatches it sees.
     */
    private ApplicationContextInitializer<GenericApplicationContext> probe() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilterAsyncDispatch() {
                return false;
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (isAsyncDispatch(request)) {
                    asyncDispatches.incrementAndGet();
                    chain.doFilter(request, response);
                    return;
                }
                chain.doFilter(request, response);
                if ("PATCH".equals(request.getMethod())) {
                    asyncStarted.add(request.isAsyncStarted());
                }
            }
        };
        return context -> context.registerBean("asyncProbe", FilterRegistrationBean.class, () -> {
            FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        });
    }

    /**
     * A producer interceptor that holds the adapter's producer I/O thread in {@code onAcknowledgement}, before the
     * send's callback completes the answer, until {@link #release()}: a broker acknowledgement that comes late, on cue.
     */
    public static final class HeldAcknowledgements implements ProducerInterceptor<Object, Object> {

        private static volatile CountDownLatch held = new CountDownLatch(0);
        private static final AtomicInteger acknowledged = new AtomicInteger();

        static void hold() {
            acknowledged.set(0);
            held = new CountDownLatch(1);
        }

        static void release() {
            held.countDown();
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            acknowledged.incrementAndGet();
            try {
                held.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
