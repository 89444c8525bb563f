package io.patchbay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used, read from /proc: by one process, by the PostgreSQL server (postmaster and backends), by one
 * thread of this JVM. Unlike wall time it hardly depends on what else the machine runs, so "CPU per command"
 * compares implementations even on a busy machine. -1 where it cannot be read.
 */
public final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private CpuMeter() {
    }

    /** User plus system CPU seconds of {@code pid}, including its exited and reaped children. */
    public static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14-17 of proc(5): utime stime cutime cstime; f[0] is field 3
            return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
                    / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds of the PostgreSQL server listening on {@code port}: its postmaster and every live child. */
    public static double postgresSeconds(int port) {
        String portArgument = "-p " + port;
        List<ProcessHandle> postmasters = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(portArgument)
                        && !c.contains("pg_ctl")).orElse(false))
                .toList();
        if (postmasters.isEmpty()) {
            return -1;
        }
        double total = 0;
        for (ProcessHandle postmaster : postmasters) {
            total += Math.max(0, processSeconds(postmaster.pid()));
            for (ProcessHandle child : postmaster.descendants().toList()) {
                total += Math.max(0, processSeconds(child.pid()));
            }
        }
        return total;
    }

    /** CPU seconds of the calling thread. */
    public static double currentThreadSeconds() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    /** CPU seconds of this whole JVM. */
    public static double thisProcessSeconds() {
        return processSeconds(ProcessHandle.current().pid());
    }
}
