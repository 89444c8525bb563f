package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

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

    private static String[] args(String... more) {
        String[] all = new String[JARS.length + more.length];
        System.arraycopy(JARS, 0, all, 0, JARS.length);
        System.arraycopy(more, 0, all, JARS.length, more.length);
        return all;
    }
}
