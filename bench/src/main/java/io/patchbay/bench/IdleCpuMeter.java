package io.patchbay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/** How much CPU each app uses at rest: its CPU seconds over a quiet window, as a percentage of one core. */
final class IdleCpuMeter {

    private IdleCpuMeter() {
    }

    /** Watches the apps for {@code millis} while nothing is sent to them. */
    static List<Results.IdleCpu> watch(Map<String, DoubleSupplier> apps, long millis) {
        Map<String, DoubleSupplier> ordered = new TreeMap<>(apps);
        Map<String, Double> before = new LinkedHashMap<>();
        ordered.forEach((app, cpu) -> before.put(app, cpu.getAsDouble()));
        long start = System.nanoTime();
        ProcessorBench.sleep(millis);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Results.IdleCpu> idle = new ArrayList<>();
        ordered.forEach((app, cpu) -> {
            double after = cpu.getAsDouble();
            double used = before.get(app) < 0 || after < 0 ? -1 : after - before.get(app);
            idle.add(new Results.IdleCpu(app, used < 0 ? -1 : used * 100 / seconds, seconds));
        });
        return idle;
    }
}
