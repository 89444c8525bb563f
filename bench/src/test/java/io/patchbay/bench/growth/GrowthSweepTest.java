package io.patchbay.bench.growth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.patchbay.bench.CommandGenerator;

class GrowthSweepTest {

    private static final List<Object> DEFAULT = List.of(10_000, CommandGenerator.Mix.DEFAULT, 500, 3, 1, "");

    @Test
    void everyDimensionVariesOneThingFromTheDefaultWhichIsMeasuredOnce() {
        List<GrowthSweep.Setting> settings = GrowthSweep.settings(GrowthSweep.DIMENSIONS, 10_000, false);

        assertThat(settings.stream().map(GrowthSweep.Setting::dimension).distinct()).containsExactlyElementsOf(GrowthSweep.DIMENSIONS);
        for (String dimension : GrowthSweep.DIMENSIONS) {
            List<GrowthSweep.Setting> of = settings.stream().filter(s -> s.dimension().equals(dimension)).toList();
            assertThat(of).as(dimension).filteredOn(s -> s.key().equals(DEFAULT)).hasSize(1);
            for (GrowthSweep.Setting s : of) {
                long differences = countDifferences(s.key(), DEFAULT);
                assertThat(differences).as(dimension + " " + s.value()).isLessThanOrEqualTo(1);
            }
        }
        Set<List<Object>> distinct = settings.stream().map(GrowthSweep.Setting::key).collect(Collectors.toSet());
        assertThat(distinct).hasSize(settings.size() - GrowthSweep.DIMENSIONS.size() + 1);
    }

    @Test
    void tableSizeGoesFromTenThousandToAMillionRowsAndInstancesFromOneToThree() {
        List<GrowthSweep.Setting> settings = GrowthSweep.settings(List.of("table-size", "instances", "skew"), 10_000, false);

        assertThat(settings).filteredOn(s -> s.dimension().equals("table-size")).extracting(GrowthSweep.Setting::resources)
                .containsExactly(10_000, 100_000, 300_000, 1_000_000);
        assertThat(settings).filteredOn(s -> s.dimension().equals("instances")).extracting(GrowthSweep.Setting::instances)
                .containsExactly(1, 2, 3);
        assertThat(settings).filteredOn(s -> s.dimension().equals("skew")).extracting(s -> s.mix().hotShare())
                .containsExactly(0.0, 0.5, 0.9, 0.9);
    }

    @Test
    void joinIsRunOnRequestAndComparesRangeStickyAndCooperativeStickyOnOneProcessor() {
        assertThat(GrowthSweep.DIMENSIONS).doesNotContain("join");

        List<GrowthSweep.Setting> settings = GrowthSweep.settings(List.of("join"), 10_000, false);

        assertThat(settings).extracting(GrowthSweep.Setting::value).containsExactly("range", "sticky", "cooperative-sticky");
        assertThat(settings).allSatisfy(s -> {
            assertThat(s.joins()).isTrue();
            assertThat(countDifferences(s.key(), DEFAULT)).as("only the assignor differs").isEqualTo(1);
        });
        assertThat(settings).extracting(s -> GrowthSweep.ASSIGNORS.get(s.assignor())).containsExactly(
                "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                "org.apache.kafka.clients.consumer.StickyAssignor", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    private static long countDifferences(List<Object> a, List<Object> b) {
        long n = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                n++;
            }
        }
        return n;
    }
}
