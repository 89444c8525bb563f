package io.patchbay.devstack.fuzz;

import org.junit.jupiter.api.extension.RegisterExtension;
import io.patchbay.devstack.infra.Poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.RawHttp;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.CommandLogRows;

/**
 * Seeded random and malformed HTTP requests against devstack's adapter ({@link HttpFuzzCases}), each answer checked
 * for the properties of {@link HttpFuzzChecks}; then the state: every command an answer accepted is decided, only
 * accepted requests changed anything (a refusal changes nothing), versions and change events agree, and another
 * team's resources are untouched. {@code -Dfuzz.requests} (default 3,000, about a minute), {@code -Dfuzz.seed},
 * {@code -Dfuzz.threads}; a failure names the seed and index that reproduce it, and {@code -Dfuzz.indexes=i,j,...}
 * (or {@code =@file} with such a list) sends only those requests of the seed.
 */
class HttpFuzzIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final int REPORTED_VIOLATIONS = 20;

    /** One answer that matters for the state checks afterwards. */
    private record Accepted(String requestId, String commandId) {
    }

    @Test
    void noInputGetsA5xxOrAnAnswerOutsideTheApisFormatAndRefusalsChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20_261_204L);
        long[] indexes = indexes(System.getProperty("fuzz.indexes"));
        long requests = indexes != null ? indexes.length : Long.getLong("fuzz.requests", 3_000L);
        int threads = Integer.getInteger("fuzz.threads", 4);
        Fixture target = Fixture.create(seed);
        HttpFuzzCases cases = new HttpFuzzCases(seed, target.targets);
        Map<HttpFuzzCases.Kind, AtomicLong> byKind = new ConcurrentHashMap<>();
        Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        Map<String, String> examples = new ConcurrentHashMap<>();
        AtomicLong violationCount = new AtomicLong();
        List<Accepted> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                try (RawHttp client = new RawHttp(fx.apps().httpPort(), null, Duration.ofSeconds(30))) {
                    for (long n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                        long i = indexes != null ? indexes[(int) n] : n;
                        HttpFuzzCases.Case request = cases.next(i);
                        byKind.computeIfAbsent(request.kind(), k -> new AtomicLong()).incrementAndGet();
                        List<String> wrong;
                        try {
                            RawHttp.Response response = send(client, request);
                            byStatus.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
                            wrong = HttpFuzzChecks.violations(request, response);
                            if (response.status() == 200 || response.status() == 202) {
                                accepted.add(new Accepted(response.header("X-Request-Id").orElse(""),
                                        response.header("Location").map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse(null)));
                            }
                        } catch (RuntimeException e) {
                            byStatus.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                            wrong = List.of("no answer: " + e);
                        }
                        if (!wrong.isEmpty()) {
                            violationCount.incrementAndGet();
                            // one example per kind of violation; a 5xx keeps its status (a 505 is not another 500)
                            String signature = request.kind() + " " + (wrong.get(0).startsWith("status ") ? wrong.get(0)
                                    : wrong.get(0).replaceAll("[0-9a-f-]{36}|\\d+", "#").replaceAll(":.*", ""));
                            if (examples.size() < REPORTED_VIOLATIONS) {
                                examples.putIfAbsent(signature, "seed " + seed + " index " + i + " (" + request.kind() + "): "
                                        + wrong + "\n" + request.describe());
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        StateCheck state = target.check(accepted);
        System.out.printf("HTTP FUZZ seed=%d requests=%d seconds=%.0f threads=%d violations=%d 5xx=%d noAnswer=%d%n"
                        + "  by class: %s%n  by status: %s%n  state: %s%n", seed, requests, seconds, threads, violationCount.get(),
                byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum(),
                byStatus.getOrDefault(-1, new AtomicLong()).get(), counts(byKind), counts(byStatus), state);

        assertThat(examples.values()).as("%d answers broke a property; an example of each kind", violationCount.get()).isEmpty();
        assertThat(state.undecided()).as("accepted commands never decided").isEmpty();
        assertThat(state.appliedByUnacceptedRequests()).as("changes made by a request that was refused").isEmpty();
        assertThat(state.foreignCommandsNotRejected()).as("another team's resources reached").isEmpty();
        assertThat(state.versionMismatches()).as("resource versions against applied commands").isEmpty();
        assertThat(state.eventMismatches()).as("change events against applied commands").isEmpty();
    }

    /** The request indexes of {@code -Dfuzz.indexes}: a comma-separated list, or {@code @file} holding one; null when unset. */
    private static long[] indexes(String property) throws java.io.IOException {
        if (property == null || property.isBlank()) {
            return null;
        }
        String list = property.startsWith("@") ? java.nio.file.Files.readString(java.nio.file.Path.of(property.substring(1)))
                : property;
        return java.util.Arrays.stream(list.split("[,\\s]+")).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    }

    private static RawHttp.Response send(RawHttp client, HttpFuzzCases.Case request) {
        if (!request.fresh()) {
            return client.exchange(request.bytes(), request.head());
        }
        try (RawHttp once = new RawHttp(fx.apps().httpPort(), null, Duration.ofSeconds(30))) {
            return once.exchange(request.bytes(), request.head());
        }
    }

    private static Map<String, Long> counts(Map<?, AtomicLong> counters) {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((k, v) -> counts.put(k.toString(), v.get()));
        return counts;
    }

    /** What the state checks found; every list is empty when all is well. */
    private record StateCheck(long applied, long rejected, long unchanged, List<String> undecided,
                              List<String> appliedByUnacceptedRequests, List<String> foreignCommandsNotRejected,
                              List<String> versionMismatches, List<String> eventMismatches) {
        @Override
        public String toString() {
            return "applied=" + applied + " unchanged=" + unchanged + " rejected=" + rejected + " undecided=" + undecided.size()
                    + " appliedByRefused=" + appliedByUnacceptedRequests.size() + " foreignReached="
                    + foreignCommandsNotRejected.size() + " versionMismatches=" + versionMismatches.size() + " eventMismatches="
                    + eventMismatches.size();
        }
    }

    /** The run's own resources and keys in team acme, and resources of team globex that no key here belongs to. */
    private static final class Fixture {
        final HttpFuzzCases.Targets targets;
        final Map<String, ResourceType> own = new LinkedHashMap<>();
        final Map<String, ResourceType> foreign = new LinkedHashMap<>();

        private Fixture(HttpFuzzCases.Targets targets) {
            this.targets = targets;
        }

        static Fixture create(long seed) {
            List<String> evaluations = new ArrayList<>();
            for (EvaluationStatus status : EvaluationStatus.values()) {
                evaluations.add(fx.data().newEvaluation(DemoData.ACME, b -> b.setStatus(status)));
            }
            List<String> automations = new ArrayList<>();
            List<AutomationState> ownAutomations = List.of(fx.insertAutomation(DemoData.ACME, b -> { }),
                    fx.insertAutomation(DemoData.ACME, b -> b.setIsEnabled(false)));
            ownAutomations.forEach(a -> automations.addAll(List.of(a.getId(), a.getSlug())));
            String foreignEvaluation = fx.data().newEvaluation(DemoData.GLOBEX);
            AutomationState foreignAutomation = fx.insertAutomation(DemoData.GLOBEX, b -> { });
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String role : List.of("viewer", "editor", "admin", "owner")) {
                tokens.put(role, fx.data().newApiKey(DemoData.ACME, role, "*"));
            }
            tokens.put("readonly", fx.data().newApiKey(DemoData.ACME, "owner", "evaluations:read", "automations:read"));
            tokens.put("evaluations-writer", fx.data().newApiKey(DemoData.ACME, "admin", "evaluations:write"));
            tokens.put("automations-only", fx.data().newApiKey(DemoData.ACME, "editor", "automations:*"));
            tokens.put("revoked", fx.data().newApiKey(DemoData.ACME, "owner", List.of("*"), null, Instant.now().minusSeconds(60)));
            Fixture fixture = new Fixture(new HttpFuzzCases.Targets(evaluations, automations,
                    List.of(foreignEvaluation, foreignAutomation.getId(), foreignAutomation.getSlug()), tokens,
                    List.of("evl_acme_relevance", "evl_acme_toxicity", "evl_acme_quality", "evl_globex_relevance", "evl_nowhere"),
                    "fz" + seed + "-"));
            evaluations.forEach(id -> fixture.own.put(id, ResourceType.EVALUATION));
            ownAutomations.forEach(a -> fixture.own.put(a.getId(), ResourceType.AUTOMATION));
            fixture.foreign.put(foreignEvaluation, ResourceType.EVALUATION);
            fixture.foreign.put(foreignAutomation.getId(), ResourceType.AUTOMATION);
            return fixture;
        }

        StateCheck check(List<Accepted> accepted) {
            Set<String> acceptedRequests = accepted.stream().map(Accepted::requestId).collect(Collectors.toSet());
            List<String> pending = accepted.stream().map(Accepted::commandId).filter(id -> id != null).toList();
            List<String> undecided = Poll.until("every accepted command decided", Duration.ofSeconds(120),
                    () -> pending.stream().filter(id -> !decided(id)).toList(), List::isEmpty);
            List<String> resources = new ArrayList<>(own.keySet());
            resources.addAll(foreign.keySet());
            List<Map<String, Object>> rows = fx.jdbi().withHandle(h -> h.createQuery(
                            "select command_id, resource_id, status, request_id, version from command_log where resource_id = any(:ids)")
                    .bind("ids", resources.toArray(String[]::new)).mapToMap().list());
            Map<String, Long> appliedPerResource = new HashMap<>();
            List<String> appliedByRefused = new ArrayList<>();
            List<String> foreignReached = new ArrayList<>();
            long applied = 0;
            long rejected = 0;
            for (Map<String, Object> row : rows) {
                String status = (String) row.get("status");
                String resource = (String) row.get("resource_id");
                if (foreign.containsKey(resource) && !status.equals("REJECTED")) {
                    foreignReached.add(row.toString());
                }
                if (status.equals("APPLIED")) {
                    applied++;
                    appliedPerResource.merge(resource, 1L, Long::sum);
                    if (!acceptedRequests.contains((String) row.get("request_id"))) {
                        appliedByRefused.add(row.toString());
                    }
                } else if (status.equals("REJECTED")) {
                    rejected++;
                }
            }
            List<String> versions = new ArrayList<>();
            List<String> events = new ArrayList<>();
            Map<String, Long> eventsPerResource = changeEvents();
            for (String resource : resources) {
                long expected = appliedPerResource.getOrDefault(resource, 0L);
                long version = fx.jdbi().withHandle(h -> h.createQuery("select version from " + table(resource) + " where id = :id")
                        .bind("id", resource).mapTo(Long.class).one());
                if (version != 1 + expected) {
                    versions.add(resource + ": version " + version + ", applied commands " + expected);
                }
                if (eventsPerResource.getOrDefault(resource, 0L) != expected) {
                    events.add(resource + ": change events " + eventsPerResource.getOrDefault(resource, 0L) + ", applied " + expected);
                }
            }
            return new StateCheck(applied, rejected, rows.size() - applied - rejected, undecided, appliedByRefused, foreignReached,
                    versions, events);
        }

        private String table(String resource) {
            ResourceType type = own.containsKey(resource) ? own.get(resource) : foreign.get(resource);
            return type == ResourceType.EVALUATION ? "evaluation" : "automation";
        }

        /** Distinct (resource, version) change events on both change topics, per resource of this run. */
        private Map<String, Long> changeEvents() {
            Map<String, Set<Long>> versions = new HashMap<>();
            for (ResourceType type : ResourceType.values()) {
                fx.kafka().readAll(fx.topics().changes(type)).stream()
                        .filter(r -> own.containsKey(r.key()) || foreign.containsKey(r.key()))
                        .forEach(r -> versions.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(version(r.value())));
            }
            Map<String, Long> counts = new HashMap<>();
            versions.forEach((k, v) -> counts.put(k, (long) v.size()));
            return counts;
        }

        private static long version(Object event) {
            return event instanceof io.patchbay.schemas.EvaluationChanged e ? e.getVersion()
                    : ((io.patchbay.schemas.AutomationChanged) event).getVersion();
        }

        private static boolean decided(String commandId) {
            return CommandLogRows.of(fx.jdbi(), commandId) > 0;
        }
    }
}
