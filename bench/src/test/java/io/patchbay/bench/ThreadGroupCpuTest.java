package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ThreadGroupCpuTest {

    @Test
    void aWindowWhoseWorkComesOutNegativeIsScaledToTheProcessFigure() {
        Map<String, Double> split = new LinkedHashMap<>();
        split.put(ThreadGroupCpu.JIT, 0.3);
        split.put(ThreadGroupCpu.GC_VM, 0.1);
        split.put(ThreadGroupCpu.WORK, -0.2);

        Map<String, Double> fixed = ThreadGroupCpu.consistent(split);

        assertThat(fixed.get(ThreadGroupCpu.WORK)).isZero();
        assertThat(fixed.get(ThreadGroupCpu.JIT)).isCloseTo(0.15, within(1e-9));
        assertThat(fixed.get(ThreadGroupCpu.GC_VM)).isCloseTo(0.05, within(1e-9));
        Map<String, Double> unknown = Map.of(ThreadGroupCpu.JIT, -1.0, ThreadGroupCpu.WORK, -1.0);
        assertThat(ThreadGroupCpu.consistent(unknown)).isEqualTo(unknown);
    }

    @Test
    void countsTheCompilerThreadsAsJit() {
        assertThat(ThreadGroupCpu.group("C2 CompilerThre")).isEqualTo(ThreadGroupCpu.JIT);
        assertThat(ThreadGroupCpu.group("C1 CompilerThre")).isEqualTo(ThreadGroupCpu.JIT);
    }

    @Test
    void countsTheCollectorsAndTheVmThreadAsGcAndVm() {
        for (String comm : new String[] {"G1 Main Marker", "G1 Conc#0", "G1 Refine#0", "G1 Service", "GC Thread#1",
                "VM Thread", "VM Periodic Tas"}) {
            assertThat(ThreadGroupCpu.group(comm)).as(comm).isEqualTo(ThreadGroupCpu.GC_VM);
        }
    }

    @Test
    void countsEveryOtherThreadAsWork() {
        for (String comm : new String[] {"java", "http-nio-8080-e", "kafka-producer-", "HikariPool-1 ho", "C2 (fake)"}) {
            assertThat(ThreadGroupCpu.group(comm)).as(comm).isEqualTo(ThreadGroupCpu.WORK);
        }
    }

    @Test
    void readsTheCommAndUserPlusSystemTicksOfAStatLine() {
        ThreadGroupCpu.TaskStat stat = ThreadGroupCpu.parse("4242 (C2 CompilerThre) S 4200 4200 4200 0 -1 1077936192"
                + " 1234 0 5 0 731 42 0 0 20 0 31 0 9876 4000000000 60000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1"
                + " 0 0 0 0 0\n");

        assertThat(stat.comm()).isEqualTo("C2 CompilerThre");
        assertThat(stat.ticks()).isEqualTo(731 + 42);
    }

    @Test
    void readsACommHoldingSpacesAndParentheses() {
        ThreadGroupCpu.TaskStat stat = ThreadGroupCpu.parse("77 (a) b (c) d) R 1 77 77 0 -1 4194304 10 0 0 0 15 3 7 9 20 0"
                + " 1 0 100 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0");

        assertThat(stat.comm()).isEqualTo("a) b (c) d");
        assertThat(stat.ticks()).isEqualTo(15 + 3); // children's cutime and cstime are not the thread's
        assertThat(ThreadGroupCpu.group(stat.comm())).isEqualTo(ThreadGroupCpu.WORK);
    }

    @Test
    void splitsThisJvmIntoGroupsThatAddUpToItsCpu() {
        long pid = ProcessHandle.current().pid();
        double total = CpuMeter.processSeconds(pid);

        Map<String, Double> groups = ThreadGroupCpu.read(pid);

        assertThat(groups).containsOnlyKeys(ThreadGroupCpu.JIT, ThreadGroupCpu.GC_VM, ThreadGroupCpu.WORK);
        assertThat(groups.values()).allSatisfy(seconds -> assertThat(seconds).isGreaterThanOrEqualTo(0));
        assertThat(groups.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(total, within(0.5));
        assertThat(groups.get(ThreadGroupCpu.JIT)).as("this JVM compiled something to get here").isGreaterThan(0);
    }

    @Test
    void readsNothingOfAProcessThatDoesNotExist() {
        assertThat(ThreadGroupCpu.read(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void dividesEachJvmsGroupsByTheRequests() {
        Map<String, Map<String, Double>> perRequest = CpuBreakdown.perRequestByThreadGroup(
                Map.of("adapter", Map.of("jit", 1.0, "work", 2.0)),
                Map.of("adapter", Map.of("jit", 1.5, "work", 4.0)), 1_000);

        assertThat(perRequest.get("adapter")).containsEntry("jit", 0.5).containsEntry("work", 2.0);
    }
}
