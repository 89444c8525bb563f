package io.patchbay.devstack.campaign.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.patchbay.devstack.faults.FaultyProxy.Impairment;

/**
 * A campaign's faults, drawn from its seed before it starts, so that a seed names the same schedule every time:
 * start times with exponentially distributed gaps (faults overlap whenever a gap is shorter than the fault
 * before it), a kind drawn uniformly from the enabled ones, and each kind's target, length and variant.
 */
public final class FaultSchedule {

    /**
     * What to draw.
     *
     * @param duration the campaign's load duration; faults start in [{@code quietStart}, duration - {@code quietEnd}]
     * @param meanGap mean time between two fault starts
     * @param sessionTimeout the processors' consumer session timeout: a pause lasts longer
     */
    public record Settings(long seed, Duration duration, Duration meanGap, Set<FaultKind> kinds, Duration sessionTimeout,
                           Duration quietStart, Duration quietEnd) {
    }

    private FaultSchedule() {
    }

    public static List<FaultEvent> draw(Settings settings) {
        Random random = new Random(settings.seed() * 0x9E3779B97F4A7C15L + 1);
        List<FaultKind> kinds = List.copyOf(settings.kinds().stream().sorted().toList());
        List<FaultEvent> events = new ArrayList<>();
        if (kinds.isEmpty()) {
            return events;
        }
        long end = settings.duration().minus(settings.quietEnd()).toMillis();
        long at = settings.quietStart().toMillis();
        while (at < end) {
            FaultKind kind = kinds.get(random.nextInt(kinds.size()));
            events.add(event(events.size() + 1, Duration.ofMillis(at), kind, random, settings.sessionTimeout()));
            at += (long) (-Math.log(1 - random.nextDouble()) * settings.meanGap().toMillis());
        }
        return events;
    }

    private static FaultEvent event(int index, Duration at, FaultKind kind, Random random, Duration sessionTimeout) {
        int target = random.nextInt(2);
        return switch (kind) {
            case PROCESSOR_KILL, ADAPTER_KILL -> new FaultEvent(index, at, kind, target, seconds(random, 0, 8), "SIGKILL", null);
            case BROKER_RESTART -> new FaultEvent(index, at, kind, 0, seconds(random, 1, 12),
                    random.nextBoolean() ? "SIGKILL" : "SIGTERM", null);
            case POSTGRES_RESTART -> new FaultEvent(index, at, kind, 0, seconds(random, 1, 12), "fast", null);
            case PROCESSOR_JOIN_LEAVE -> random.nextBoolean()
                    ? new FaultEvent(index, at, kind, 2, seconds(random, 15, 60), "join", null)
                    : new FaultEvent(index, at, kind, target, seconds(random, 5, 20), "leave", null);
            case PROCESSOR_PAUSE -> new FaultEvent(index, at, kind, target,
                    sessionTimeout.plus(seconds(random, 2, 14)), "SIGSTOP", null);
            case RETENTION_PURGE -> new FaultEvent(index, at, kind, 0, Duration.ZERO, "", null);
            case NETWORK -> new FaultEvent(index, at, kind, 0, seconds(random, 10, 40), "", new Impairment(
                    Duration.ofMillis(20 + random.nextInt(181)), Duration.ofMillis(random.nextInt(101)),
                    random.nextDouble() * 0.02, Duration.ofMillis(200 + random.nextInt(801)), random.nextDouble() * 0.003));
        };
    }

    private static Duration seconds(Random random, double min, double max) {
        return Duration.ofMillis((long) ((min + random.nextDouble() * (max - min)) * 1000));
    }
}
