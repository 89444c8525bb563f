package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CpuWindowTest {

    private static CpuWindow.Reading reading(long done, double jit, double gcVm, double work, double db) {
        Map<String, Double> jvm = new LinkedHashMap<>();
        jvm.put(ThreadGroupCpu.JIT, jit);
        jvm.put(ThreadGroupCpu.GC_VM, gcVm);
        jvm.put(ThreadGroupCpu.WORK, work);
        return new CpuWindow.Reading(done, jvm, db);
    }

    @Test
    void theSecondHalfStartsAtHalfTheWorkRoundedUp() {
        assertThat(CpuWindow.halfOf(100_000)).isEqualTo(50_000);
        assertThat(CpuWindow.halfOf(3)).isEqualTo(2);
        assertThat(CpuWindow.halfOf(1)).isEqualTo(1);
    }

    @Test
    void aWindowChargesTheCpuBetweenItsReadingsToTheUnitsDoneBetweenThem() {
        CpuWindow.Reading middle = reading(50_200, 2.0, 0.5, 4.0, 3.0);
        CpuWindow.Reading end = reading(100_000, 2.4, 0.7, 8.9, 5.49);

        Results.Window window = CpuWindow.between(middle, end, 6.0, "app");

        assertThat(window.fromDone()).isEqualTo(50_200);
        assertThat(window.units()).isEqualTo(49_800);
        assertThat(window.perSecond()).isCloseTo(8_300, within(1e-6));
        assertThat(window.cpuMillisPerUnit().app()).isCloseTo(5.5 * 1000 / 49_800, within(1e-9));
        assertThat(window.cpuMillisPerUnit().database()).isCloseTo(2.49 * 1000 / 49_800, within(1e-9));
        assertThat(window.appCpuMillisByThreadGroup()).containsOnlyKeys("jit", "gc/vm", "work");
        assertThat(window.appCpuMillisByThreadGroup().get("jit")).isCloseTo(0.4 * 1000 / 49_800, within(1e-9));
        assertThat(window.appCpuMillisByThreadGroup().values().stream().mapToDouble(Double::doubleValue).sum())
                .as("the groups add up to the JVM's CPU").isCloseTo(window.cpuMillisPerUnit().app(), within(1e-9));
    }

    @Test
    void anUnreadableJvmOrDatabaseStaysUnknown() {
        CpuWindow.Reading start = new CpuWindow.Reading(0, Map.of(), -1);
        CpuWindow.Reading end = reading(10, 1, 1, 1, 1);

        assertThat(CpuWindow.perUnit(start, end, "app", 10).app()).isEqualTo(-1);
        assertThat(CpuWindow.perUnit(start, end, "app", 10).database()).isEqualTo(-1);
        assertThat(CpuWindow.perUnitByThreadGroup(start, end, 10)).isEmpty();
        assertThat(CpuWindow.perUnitByThreadGroup(end, end, 0)).as("no units, no figure").isEmpty();
    }

    @Test
    void theRatioWithoutJitLeavesOutOnlyTheCompilerThreads() {
        Results.CpuPerCommand cpu = new Results.CpuPerCommand(0.3, "app", 0.2);

        assertThat(Report.perCpuSecondExcludingJit(cpu, Map.of("jit", 0.1, "gc/vm", 0.05, "work", 0.15)))
                .isCloseTo(1000 / 0.4, within(1e-9));
        assertThat(Report.perCpuSecondExcludingJit(cpu, null)).isEqualTo(-1);
    }
}
