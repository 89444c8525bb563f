package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOptionsTest {

    private static final Path THIS_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String[] JARS = {"--processor-jar", "p.jar", "--adapter-jar", "a.jar", "--project-dir", "."};

    @Test
    void warmsUpAtTheFirstRateByDefault() {
        BenchOptions options = BenchOptions.parse(args("--http-rates", "250,100"));

        assertThat(options.httpWarmupRate()).isNull();
        assertThat(options.describe()).containsEntry("httpWarmupRate", 100);
    }

    @Test
    void warmsUpAtTheRateGiven() {
        BenchOptions options = BenchOptions.parse(args("--http-rates", "100,250", "--http-warmup-rate", "1000"));

        assertThat(options.httpWarmupRate()).isEqualTo(1000);
        assertThat(options.describe()).containsEntry("httpWarmupRate", 1000);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> BenchOptions.parse(args("--http-warmup-rate", "0")))
                .isInstanceOf(BenchOptions.UsageException.class);
    }

    @Test
    void theJoinSweepsLatencyStepsLastFortySecondsUnlessTold() {
        assertThat(BenchOptions.parse(args("--growth", "join")).latencySeconds()).isEqualTo(40);
        assertThat(BenchOptions.parse(args("--growth", "join", "--latency-seconds", "25")).latencySeconds()).isEqualTo(25);
        assertThat(BenchOptions.parse(args("--growth", "instances")).latencySeconds()).isEqualTo(20);
        assertThatThrownBy(() -> BenchOptions.parse(args("--growth", "joins")))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("on request [join]");
    }

    @Test
    void latencyGeneratorLingersAsKafkasDefaultUnlessTold() {
        assertThat(BenchOptions.parse(args()).latencyLingerMillis()).isEqualTo(5);

        BenchOptions noLinger = BenchOptions.parse(args("--latency-linger-ms", "0"));

        assertThat(noLinger.latencyLingerMillis()).isZero();
        assertThat(noLinger.describe()).containsEntry("latencyLingerMillis", 0);
    }

    @Test
    void refusesANegativeLinger() {
        assertThatThrownBy(() -> BenchOptions.parse(args("--latency-linger-ms", "-1")))
                .isInstanceOf(BenchOptions.UsageException.class);
    }

    @Test
    void runsTheServicesOnThisJvmsJavaUnlessTold() {
        BenchOptions options = BenchOptions.parse(args());

        assertThat(options.serviceJava()).isEqualTo(THIS_JAVA);
        assertThat(options.describe()).containsEntry("serviceJava", options.serviceJava().toString());
    }

    @Test
    void takesTheServicesJavaAsAnExecutableOrAsItsJdksDirectory() {
        assertThat(BenchOptions.parse(args("--service-java", THIS_JAVA.toString())).serviceJava()).isEqualTo(THIS_JAVA);
        assertThat(BenchOptions.parse(args("--service-java", System.getProperty("java.home"))).serviceJava())
                .isEqualTo(THIS_JAVA);
    }

    @Test
    void refusesAServiceJavaThatIsNotOne(@TempDir Path directory) throws IOException {
        Path notJava = Files.writeString(directory.resolve("java"), "");

        assertThatThrownBy(() -> BenchOptions.parse(args("--service-java", directory.toString())))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("no java executable");
        assertThatThrownBy(() -> BenchOptions.parse(args("--service-java", notJava.toString())))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("no java executable");
    }

    private static String[] args(String... more) {
        String[] all = new String[JARS.length + more.length];
        System.arraycopy(JARS, 0, all, 0, JARS.length);
        System.arraycopy(more, 0, all, JARS.length, more.length);
        return all;
    }
}
