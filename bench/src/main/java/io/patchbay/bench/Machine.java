package io.patchbay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine a run happens on, read from /proc where there is one. */
public final class Machine {

    private Machine() {
    }

    public static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    public static long memoryMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg shows them. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static String os() {
        String pretty = null;
        try {
            pretty = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring(13).replace("\"", "")).findFirst().orElse(null);
        } catch (IOException e) {
            // not Linux
        }
        return (pretty == null ? System.getProperty("os.name") : pretty) + ", kernel " + System.getProperty("os.version");
    }

    public static String java() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }
}
