package io.patchbay.devstack.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs fault scenarios from the command line on embedded infrastructure started in this JVM (the processor's
 * exec jar and the registry runner must be built), prints one summary line per run, and exits 1 if any run broke
 * a guarantee.
 *
 * <pre>
 * java -cp devstack/target/patchbay-devstack.jar -Dloader.main=io.patchbay.devstack.faults.FaultRun \
 *      org.springframework.boot.loader.launch.PropertiesLauncher [kill|broker|postgres|rebalance|adapters|all]...
 *      [--commands N] [--repeat N]
 * </pre>
 */
public final class FaultRun {

    private static final Map<String, IntFunction<FaultReport>> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("kill", commands -> FaultScenarios.processorKills(commands, 3));
        SCENARIOS.put("broker", FaultScenarios::brokerRestart);
        SCENARIOS.put("postgres", FaultScenarios::databaseRestart);
        SCENARIOS.put("rebalance", FaultScenarios::rebalance);
        SCENARIOS.put("adapters", FaultScenarios::twoAdapters);
    }

    private FaultRun() {
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        int commands = 3000;
        int repeat = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--commands" -> commands = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "all" -> names.addAll(SCENARIOS.keySet());
                case "--help", "-h" -> {
                    System.out.println("usage: FaultRun [" + String.join("|", SCENARIOS.keySet()) + "|all]... [--commands N]"
                            + " [--repeat N]");
                    return;
                }
                default -> {
                    if (!SCENARIOS.containsKey(args[i])) {
                        throw new IllegalArgumentException("unknown scenario " + args[i] + "; known: " + SCENARIOS.keySet());
                    }
                    names.add(args[i]);
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(SCENARIOS.keySet());
        }
        List<FaultReport> reports = new ArrayList<>();
        for (int run = 1; run <= repeat; run++) {
            for (String name : names) {
                reports.add(SCENARIOS.get(name).apply(commands));
            }
        }
        System.out.println();
        reports.forEach(report -> System.out.println(report.details()));
        boolean broken = reports.stream().anyMatch(report -> !report.violations().isEmpty());
        System.exit(broken ? 1 : 0);
    }
}
