package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The growth sweep at its smoke size, over the dimension that exercises the most machinery: one then two processor
 * JVMs in one consumer group, started before their commands, each point drained, checked, and measured for
 * latency from the load generator's JVM; the table, JSON and chart are written. No timing thresholds.
 */
class GrowthSweepSmokeIT {

    @Test
    void sweepsProcessorInstancesInOneConsumerGroup() throws Exception {
        Path out = Path.of("target", "growth-smoke.json").toAbsolutePath();
        Files.deleteIfExists(out);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.parse("--smoke", "--growth", "instances", "--out", out.toString());

        Results.GrowthRun run = new Bench(options, new PrintStream(console, true, StandardCharsets.UTF_8)).runGrowth();

        System.out.println(console.toString(StandardCharsets.UTF_8));
        assertThat(run.points()).extracting(Results.GrowthPoint::instances).containsExactly(1, 2);
        for (Results.GrowthPoint point : run.points()) {
            assertThat(point.dimension()).isEqualTo("instances");
            assertThat(point.consistent()).as("point %s", point.value()).isTrue();
            assertThat(point.statuses().total()).isEqualTo(point.commands());
            assertThat(point.measuredCommands()).isPositive().isLessThanOrEqualTo(point.commands());
            assertThat(point.commandsPerSecond()).isPositive();
            assertThat(point.cpuMillisPerCommand().app()).isPositive();
            assertThat(point.latencyMillis().count()).as("latency samples at half the drain rate").isPositive();
            assertThat(point.rssMaxKb()).isPositive();
        }
        assertThat(run.points().get(0).statuses()).as("same commands, same decisions, whatever the instances")
                .isEqualTo(run.points().get(1).statuses());
        assertThat(run.charts()).containsExactly("growth-smoke-instances.png");
        assertThat(out.resolveSibling("growth-smoke-instances.png")).isNotEmptyFile();
        assertThat(out).isNotEmptyFile();
    }
}
