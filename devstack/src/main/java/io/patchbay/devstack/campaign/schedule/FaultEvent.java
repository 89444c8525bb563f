package io.patchbay.devstack.campaign.schedule;

import java.time.Duration;

import io.patchbay.devstack.faults.FaultyProxy.Impairment;

/**
 * One fault of a schedule: what, when (from the campaign's start), against which instance, for how long, and
 * how: a kind's variant ({@code SIGKILL} or {@code SIGTERM} for the broker, {@code join} or {@code leave} for the
 * group) and, for {@link FaultKind#NETWORK}, the impairment.
 */
public record FaultEvent(int index, Duration at, FaultKind kind, int target, Duration hold, String variant,
                         Impairment impairment) {

    /** A one-line description, e.g. {@code #3 +42.1s PROCESSOR_PAUSE p1 hold=12.0s}. */
    public String describe() {
        String who = switch (kind) {
            case PROCESSOR_KILL, PROCESSOR_PAUSE -> " p" + target;
            case ADAPTER_KILL -> " a" + target;
            case PROCESSOR_JOIN_LEAVE -> "leave".equals(variant) ? " p" + target : " p2";
            default -> "";
        };
        return String.format("#%d +%.1fs %s%s hold=%.1fs%s%s", index, at.toMillis() / 1000.0, kind, who,
                hold.toMillis() / 1000.0, variant.isEmpty() ? "" : " " + variant,
                impairment == null ? "" : " " + impairment);
    }
}
