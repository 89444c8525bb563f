package io.patchbay.adapter.metrics;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * The adapter's own meters (README, "Metrics"), registered once at start: each call on the request path increments a
 * cached {@link Counter} found by an enum or a constant string, so recording allocates nothing. Depends on no other
 * adapter package, so that the few places that record (publisher, answer, authentication) stay free of cycles.
 *
 * <ul>
 *   <li>{@code patchbay.commands.received{api,resource}}: commands handed to the producer;
 *   <li>{@code patchbay.commands.publish.failures{api,resource}}: commands the producer gave up on (answered 500);
 *   <li>{@code patchbay.commands.accepted{api,resource,reason}}: 202 answers, {@code wait_expired} when the outcome wait
 *       ran out, {@code respond_async} when the client asked not to wait;
 *   <li>{@code patchbay.idempotency.replays{api,resource}} and {@code patchbay.idempotency.conflicts{api,resource}}:
 *       answers from an earlier request with the same Idempotency-Key, and 409s for a key reused with another request;
 *   <li>{@code patchbay.authentication.failures{api,reason}}: 401s, {@code missing} or {@code invalid} credentials.
 * </ul>
 */
public final class AdapterMetrics {

    private record PerResource(Counter received, Counter publishFailures, Counter waitExpired, Counter respondAsync,
                               Counter replays, Counter conflicts) {
    }

    private final Map<ResourceType, PerResource> byType = new EnumMap<>(ResourceType.class);
    private final Map<String, PerResource> byTopic = new HashMap<>();
    private final Map<String, Counter[]> authFailuresByApi = new HashMap<>();

    /**
     * @param apis the API (its enum constant's name, e.g. {@code AUTOUSERS}) serving each resource type
     */
    public AdapterMetrics(MeterRegistry registry, Topics topics, Map<ResourceType, String> apis) {
        apis.forEach((type, api) -> {
            String apiTag = tag(api);
            String resource = tag(type.name());
            PerResource meters = new PerResource(
                    Counter.builder("patchbay.commands.received").description("Commands handed to the producer")
                            .tags("api", apiTag, "resource", resource).register(registry),
                    Counter.builder("patchbay.commands.publish.failures")
                            .description("Commands the producer gave up on; the request was answered 500")
                            .tags("api", apiTag, "resource", resource).register(registry),
                    accepted(registry, apiTag, resource, "wait_expired"),
                    accepted(registry, apiTag, resource, "respond_async"),
                    Counter.builder("patchbay.idempotency.replays")
                            .description("Answers given from an earlier request with the same Idempotency-Key")
                            .tags("api", apiTag, "resource", resource).register(registry),
                    Counter.builder("patchbay.idempotency.conflicts")
                            .description("409 answers: an Idempotency-Key reused with a different request")
                            .tags("api", apiTag, "resource", resource).register(registry));
            byType.put(type, meters);
            byTopic.put(topics.commands(type), meters);
            authFailuresByApi.computeIfAbsent(api, a -> new Counter[] {authFailures(registry, apiTag, "missing"),
                    authFailures(registry, apiTag, "invalid")});
        });
    }

    /** A command is handed to the producer for {@code topic}, a commands topic. */
    public void received(String topic) {
        PerResource meters = byTopic.get(topic);
        if (meters != null) {
            meters.received().increment();
        }
    }

    /** The producer gave up on a command for {@code topic}. */
    public void publishFailed(String topic) {
        PerResource meters = byTopic.get(topic);
        if (meters != null) {
            meters.publishFailures().increment();
        }
    }

    /** A PATCH was answered 202: at once ({@code respondAsync}) or because its outcome wait ran out. */
    public void accepted(ResourceType type, boolean respondAsync) {
        PerResource meters = byType.get(type);
        (respondAsync ? meters.respondAsync() : meters.waitExpired()).increment();
    }

    /** A PATCH was answered from an earlier request with the same Idempotency-Key. */
    public void replayed(ResourceType type) {
        byType.get(type).replays().increment();
    }

    /** A PATCH reused an Idempotency-Key with a different request (409). */
    public void keyReused(ResourceType type) {
        byType.get(type).conflicts().increment();
    }

    /**
     * A request of {@code api} (its enum constant's name) was refused 401.
     *
     * @param missing no usable credentials, rather than credentials that are not valid
     */
    public void authenticationFailed(String api, boolean missing) {
        Counter[] counters = authFailuresByApi.get(api);
        if (counters != null) {
            counters[missing ? 0 : 1].increment();
        }
    }

    private static Counter accepted(MeterRegistry registry, String api, String resource, String reason) {
        return Counter.builder("patchbay.commands.accepted")
                .description("202 answers: the outcome wait ran out (wait_expired) or the client asked not to wait")
                .tags("api", api, "resource", resource, "reason", reason).register(registry);
    }

    private static Counter authFailures(MeterRegistry registry, String api, String reason) {
        return Counter.builder("patchbay.authentication.failures").description("Requests refused 401")
                .tags("api", api, "reason", reason).register(registry);
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
