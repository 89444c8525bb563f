package io.patchbay.bench;

import java.util.Map;

/**
 * Readings of a draining JVM (by thread group, {@link ThreadGroupCpu}) and of the PostgreSQL server at moments of a
 * drain, and what the work between two readings cost. The processor's drain and the Debezium sink's run take one
 * reading at the start, one when half of the work is done and one at the end, so both are measured alike over the
 * whole run and over its second half, where a freshly started JVM has done most of its compiling.
 */
public final class CpuWindow {

    private CpuWindow() {
    }

    /**
     * One reading.
     *
     * @param done work done so far (outcomes published, rows applied)
     * @param jvm CPU seconds of the JVM by thread group (jit, gc/vm, work, adding up to the process's CPU); empty
     *            when it cannot be read
     * @param databaseSeconds CPU seconds of the PostgreSQL server, -1 when it cannot be read
     */
    public record Reading(long done, Map<String, Double> jvm, double databaseSeconds) {

        /** Reads the JVM {@code pid} and the PostgreSQL server on {@code postgresPort} now. */
        public static Reading take(long done, long pid, int postgresPort) {
            return new Reading(done, ThreadGroupCpu.read(pid), CpuMeter.postgresSeconds(postgresPort));
        }

        /** CPU seconds of the whole JVM (the sum of its groups), -1 when unknown. */
        public double jvmSeconds() {
            return jvm.isEmpty() ? -1 : jvm.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** Where the second half of {@code total} units of work begins: half of it, rounded up. */
    public static long halfOf(long total) {
        return (total + 1) / 2;
    }

    /** The JVM's CPU per unit between two readings, in milliseconds by thread group; empty when unknown. */
    public static Map<String, Double> perUnitByThreadGroup(Reading from, Reading to, long units) {
        if (from.jvm().isEmpty() || to.jvm().isEmpty() || units <= 0) {
            return Map.of();
        }
        return ThreadGroupCpu.perUnit(from.jvm(), to.jvm(), units);
    }

    /** The JVM's and PostgreSQL's CPU per unit between two readings, charged to {@code units}. */
    public static Results.CpuPerCommand perUnit(Reading from, Reading to, String appScope, long units) {
        double app = from.jvmSeconds() < 0 || to.jvmSeconds() < 0 ? -1 : to.jvmSeconds() - from.jvmSeconds();
        double db = from.databaseSeconds() < 0 || to.databaseSeconds() < 0 ? -1 : to.databaseSeconds() - from.databaseSeconds();
        return Results.CpuPerCommand.of(app, appScope, db, units);
    }

    /**
     * The window from {@code from} to {@code to}: the units done between them, over {@code seconds} (the caller's
     * clock of the work itself, e.g. from the reading to the last outcome's timestamp).
     */
    public static Results.Window between(Reading from, Reading to, double seconds, String appScope) {
        long units = to.done() - from.done();
        return new Results.Window(from.done(), units, seconds, seconds > 0 ? units / seconds : -1,
                perUnit(from, to, appScope, units), perUnitByThreadGroup(from, to, units));
    }
}
