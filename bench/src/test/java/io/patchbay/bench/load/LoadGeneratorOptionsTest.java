package io.patchbay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.patchbay.bench.ChildArguments;

class LoadGeneratorOptionsTest {

    @Test
    void theArgumentsTheBenchmarkPassesForCommandsAreRead() {
        LoadGenerator.Options options = ChildArguments.parse(new LoadGenerator.Options(), "--mode=commands",
                "--bootstrap=127.0.0.1:9092", "--registry=http://127.0.0.1:8081", "--topic-prefix=bench",
                "--resources=40", "--hot-share=0.7", "--hot-fraction=0.1", "--fields=3", "--first-sequence=2000",
                "--rates=12,60", "--fractions=0.1,0.5", "--seconds=1.0", "--warmup-seconds=1.0", "--out=/tmp/l.json");

        assertThat(options.mode).isEqualTo("commands");
        assertThat(options.rates).containsExactly(12.0, 60.0);
        assertThat(options.fractions).containsExactly(0.1, 0.5);
        assertThat(options.seconds).isEqualTo(1.0);
        assertThat(options.warmupSeconds).isEqualTo(1.0);
        assertThat(options.out).isEqualTo(Path.of("/tmp/l.json"));
        assertThat(options.bootstrap).isEqualTo("127.0.0.1:9092");
        assertThat(options.registry).isEqualTo("http://127.0.0.1:8081");
        assertThat(options.topicPrefix).isEqualTo("bench");
        assertThat(options.resources).isEqualTo(40);
        assertThat(options.hotShare).isEqualTo(0.7);
        assertThat(options.hotFraction).isEqualTo(0.1);
        assertThat(options.fields).isEqualTo(3);
        assertThat(options.firstSequence).isEqualTo(2000);
    }

    @Test
    void theRowsModeNeedsNoCommandSettingsAndTheDefaultsAreTheFormerOnes() {
        LoadGenerator.Options options = ChildArguments.parse(new LoadGenerator.Options(), "--mode=rows",
                "--bootstrap=b:9092", "--jdbc-url=jdbc:postgresql://h/sink", "--rates=5", "--fractions=0.5",
                "--seconds=2", "--out=o.json");

        assertThat(options.jdbcUrl).isEqualTo("jdbc:postgresql://h/sink");
        assertThat(options.warmupSeconds).isEqualTo(2.0);
        assertThat(options.drainSeconds).isEqualTo(30);
        assertThat(options.hotShare).isEqualTo(0.5);
        assertThat(options.hotFraction).isEqualTo(0.2);
        assertThat(options.fields).isZero();
        assertThat(options.seed).isEqualTo(43);
        assertThat(options.firstSequence).isZero();
    }

    @Test
    void theGeneratorCollectsItsGarbageBetweenStepsUnlessToldNot() {
        String[] required = {"--bootstrap=b:9092", "--rates=5", "--fractions=0.5", "--seconds=2", "--out=o.json"};
        assertThat(ChildArguments.parse(new LoadGenerator.Options(), required).collectBetweenSteps).isTrue();

        String[] off = java.util.stream.Stream.concat(java.util.Arrays.stream(required),
                java.util.stream.Stream.of("--collect-between-steps=false")).toArray(String[]::new);
        assertThat(ChildArguments.parse(new LoadGenerator.Options(), off).collectBetweenSteps).isFalse();
    }

    @Test
    void theGeneratorRunsOnC1WithAFixedPreTouchedHeapOutsideSmokeRunsAndExtraOptionsComeLast() {
        String before = System.getProperty("patchbay.bench.load-jvm-opts");
        System.setProperty("patchbay.bench.load-jvm-opts", " -XX:-AlwaysPreTouch  -Xlog:gc ");
        try {
            assertThat(LatencyLadders.jvmOptions(false)).containsSubsequence("-XX:+AlwaysPreTouch", "-XX:TieredStopAtLevel=1", "-XX:-AlwaysPreTouch", "-Xlog:gc")
                    .contains("-Xms1g", "-Xmx1g", "-Xmn640m");
            assertThat(LatencyLadders.jvmOptions(true)).containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:-AlwaysPreTouch", "-Xlog:gc")
                    .doesNotContain("-XX:+AlwaysPreTouch", "-Xms1g");
        } finally {
            if (before == null) {
                System.clearProperty("patchbay.bench.load-jvm-opts");
            } else {
                System.setProperty("patchbay.bench.load-jvm-opts", before);
            }
        }
    }
}
