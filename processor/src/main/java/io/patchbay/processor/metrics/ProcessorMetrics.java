package io.patchbay.processor.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.patchbay.processor.application.BatchTally;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.parking.ParkedRecords;

/**
 * The processor's own meters (README, "Metrics"), registered once at start and recorded once per committed batch
 * from its {@link BatchTally}; the batch loop only increments cached meters.
 *
 * <ul>
 *   <li>{@code patchbay.commands.decided{resource,outcome,reason}}: {@code applied}, {@code unchanged} (reason
 *       {@code none}) or {@code rejected} with the first error's code (its kind when it has no code);
 *   <li>{@code patchbay.command.decision.latency{resource}}: histogram of the time from the adapter's receipt of the
 *       request ({@code receivedAt}) to the decision ({@code completedAt});
 *   <li>{@code patchbay.batch.size}: histogram of the records per poll, one database transaction each;
 *   <li>{@code patchbay.records.dead.lettered{cause}}: records sent to a dead-letter topic, {@code undecodable},
 *       {@code refused} (by PostgreSQL) or {@code parked_behind} (an earlier record with the key is parked);
 *   <li>{@code patchbay.records.parked}: records parked now, awaiting a replay (read at scrape time);
 *   <li>{@code patchbay.outcomes.publish.failures}: batches whose events and results the broker did not acknowledge
 *       (each is retried);
 *   <li>{@code patchbay.partitions.revoked}: commands partitions this processor gave up in rebalances (revoked when
 *       another member took them, or lost);
 *   <li>{@code patchbay.partitions.lost}: of those, the ones it lost: the group moved on without it because its session
 *       ended or a batch overran {@code max.poll.interval.ms} (a stalled processor, not a planned rebalance).
 * </ul>
 */
public final class ProcessorMetrics implements BatchTally.Observer {

    private static final String NO_REASON = "none";

    private record PerResource(Counter applied, Counter unchanged, Map<String, Counter> rejected, Timer latency) {
    }

    private final MeterRegistry registry;
    private final Map<ResourceType, PerResource> byType = new EnumMap<>(ResourceType.class);
    private final Map<BatchTally.SetAside, Counter> deadLettered = new EnumMap<>(BatchTally.SetAside.class);
    private final DistributionSummary batchSize;
    private final Counter publishFailures;
    private final Counter partitionsRevoked;
    private final Counter partitionsLost;

    public ProcessorMetrics(MeterRegistry registry, Jdbi jdbi, int maxBatch) {
        this.registry = registry;
        for (ResourceType type : ResourceType.values()) {
            String resource = tag(type.name());
            byType.put(type, new PerResource(decided(resource, "applied", NO_REASON), decided(resource, "unchanged", NO_REASON),
                    new ConcurrentHashMap<>(), Timer.builder("patchbay.command.decision.latency")
                            .description("Time from the adapter's receipt of a command to its decision")
                            .tag("resource", resource).publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                            .register(registry)));
        }
        for (BatchTally.SetAside cause : BatchTally.SetAside.values()) {
            deadLettered.put(cause, Counter.builder("patchbay.records.dead.lettered")
                    .description("Command records sent to a dead-letter topic").tag("cause", tag(cause.name()))
                    .register(registry));
        }
        batchSize = DistributionSummary.builder("patchbay.batch.size").baseUnit("records")
                .description("Command records per poll, applied in one database transaction")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500).maximumExpectedValue((double) maxBatch)
                .register(registry);
        publishFailures = Counter.builder("patchbay.outcomes.publish.failures")
                .description("Batches whose change events and results the broker did not acknowledge (retried)")
                .register(registry);
        partitionsRevoked = Counter.builder("patchbay.partitions.revoked")
                .description("Commands partitions this processor gave up in rebalances (revoked or lost)")
                .register(registry);
        partitionsLost = Counter.builder("patchbay.partitions.lost")
                .description("Commands partitions lost: the group moved on without this processor")
                .register(registry);
        ParkedRecords parked = new ParkedRecords();
        Gauge.builder("patchbay.records.parked", jdbi, j -> j.withHandle(parked::count))
                .description("Command records parked now, awaiting a replay").register(registry);
    }

    @Override
    public void committed(int records, BatchTally tally) {
        batchSize.record(records);
        for (BatchTally.Decision decision : tally.decisions()) {
            PerResource meters = byType.get(decision.type());
            CommandResult result = decision.result();
            outcome(meters, result).increment();
            long nanos = Duration.between(decision.receivedAt(), result.getCompletedAt()).toNanos();
            meters.latency().record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
        for (BatchTally.SetAside cause : BatchTally.SetAside.values()) {
            int count = tally.setAsideFor(cause);
            if (count > 0) {
                deadLettered.get(cause).increment(count);
            }
        }
    }

    /** The broker did not acknowledge a batch's outcomes. */
    public void publishFailed() {
        publishFailures.increment();
    }

    /** A rebalance took {@code partitions} commands partitions from this processor. */
    public void partitionsRevoked(int partitions) {
        partitionsRevoked.increment(partitions);
    }

    /** The group moved on without this processor, which lost {@code partitions} commands partitions. */
    public void partitionsLost(int partitions) {
        partitionsLost.increment(partitions);
    }

    private Counter outcome(PerResource meters, CommandResult result) {
        if (result.getStatus() == CommandStatus.APPLIED) {
            return meters.applied();
        }
        if (result.getStatus() == CommandStatus.UNCHANGED) {
            return meters.unchanged();
        }
        String reason = result.getErrors().isEmpty() ? NO_REASON : reason(result.getErrors().get(0));
        return meters.rejected().computeIfAbsent(reason, r -> decided(tag(result.getResourceType().name()), "rejected", r));
    }

    private static String reason(CommandError error) {
        return error.getCode() != null ? error.getCode() : tag(error.getKind().name());
    }

    private Counter decided(String resource, String outcome, String reason) {
        return Counter.builder("patchbay.commands.decided").description("Commands decided, by outcome and reason code")
                .tags("resource", resource, "outcome", outcome, "reason", reason).register(registry);
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
