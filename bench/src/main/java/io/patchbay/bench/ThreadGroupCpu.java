package io.patchbay.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time of one JVM split by what its threads do, read from {@code /proc/<pid>/task/<tid>/stat}: the JIT
 * compiler threads ({@value #JIT}), the garbage collector's and the VM's own threads ({@value #GC_VM}), and the rest
 * ({@value #WORK}: request threads, Kafka clients, pools). So a step's CPU per request can tell compiling code
 * apart from running it.
 *
 * <p>{@value #WORK} is the process's CPU (as {@link CpuMeter#processSeconds}) minus the other two groups, so the
 * groups add up to the process's figure; it therefore also holds threads that ended before the reading. With two
 * cores HotSpot runs one C1 and one C2 compiler thread, which never end, so nothing compiled is lost that way.
 */
public final class ThreadGroupCpu {

    public static final String JIT = "jit";
    public static final String GC_VM = "gc/vm";
    public static final String WORK = "work";

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ThreadGroupCpu() {
    }

    /**
     * Milliseconds per unit of each group between two {@link #read} results ({@code -1} where unknown). Over a window
     * of a few hundred milliseconds the kernel's per-thread and per-process figures can disagree by some ticks, so
     * that {@value #WORK} (the process's figure minus the other groups) comes out negative: it is then made
     * {@link #consistent}.
     */
    public static Map<String, Double> perUnit(Map<String, Double> before, Map<String, Double> after, long units) {
        return consistent(CpuBreakdown.perRequest(before, after, units));
    }

    /**
     * {@code split} if no group is negative; else, if only {@value #WORK} is, {@value #WORK} at 0 and the other groups
     * scaled to the process's figure, so that the groups still add up to it and none is negative.
     */
    static Map<String, Double> consistent(Map<String, Double> split) {
        Double work = split.get(WORK);
        boolean othersKnown = split.entrySet().stream().noneMatch(e -> !WORK.equals(e.getKey()) && e.getValue() < 0);
        if (work == null || work >= 0 || !othersKnown) {
            return split;
        }
        double total = split.values().stream().mapToDouble(Double::doubleValue).sum();
        double others = total - work;
        Map<String, Double> fixed = new LinkedHashMap<>();
        split.forEach((group, value) -> fixed.put(group, WORK.equals(group) ? 0.0
                : total <= 0 || others <= 0 ? 0.0 : value * total / others));
        return fixed;
    }

    /** One thread's {@code stat} line: its name (the kernel's comm, at most 15 characters) and CPU ticks. */
    record TaskStat(String comm, long ticks) {
    }

    /**
     * The group of a thread by its comm. HotSpot names its threads with at most 15 characters, so
     * "C2 CompilerThread0" reads "C2 CompilerThre".
     */
    static String group(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") || comm.startsWith("Sweeper thread")) {
            return JIT;
        }
        if (comm.startsWith("G1 ") || comm.startsWith("GC Thread") || comm.startsWith("VM Thread")
                || comm.startsWith("VM Periodic Tas")) {
            return GC_VM;
        }
        return WORK;
    }

    /**
     * Parses a {@code stat} line of proc(5): the comm is what stands between the first '(' and the last ')' (it may
     * itself hold spaces and parentheses), and utime and stime are fields 14 and 15.
     */
    static TaskStat parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15
        return new TaskStat(stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /**
     * CPU seconds of {@code pid} by group ({@value #JIT}, {@value #GC_VM}, {@value #WORK}, in that order), or an empty
     * map when the process cannot be read.
     */
    public static Map<String, Double> read(long pid) {
        double total = CpuMeter.processSeconds(pid);
        if (total < 0) {
            return Map.of();
        }
        long jit = 0;
        long gcVm = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                TaskStat stat;
                try {
                    stat = parse(Files.readString(task.resolve("stat")));
                } catch (IOException | RuntimeException e) {
                    continue; // the thread ended while we listed them: its CPU is in the process's total
                }
                switch (group(stat.comm())) {
                    case JIT -> jit += stat.ticks();
                    case GC_VM -> gcVm += stat.ticks();
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        Map<String, Double> groups = new LinkedHashMap<>();
        groups.put(JIT, jit / TICKS_PER_SECOND);
        groups.put(GC_VM, gcVm / TICKS_PER_SECOND);
        groups.put(WORK, total - (jit + gcVm) / TICKS_PER_SECOND);
        return groups;
    }
}
