package io.patchbay.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.bench.ChildArguments;
import io.patchbay.bench.profile.SampleOwners.Owner;

/** Which part of a JVM a sample is charged to, on a recording made here. */
class SampleOwnersTest {

    /** Where the busy loop's result goes, so that the compiler cannot drop the loop. */
    private static volatile long spun;

    @Test
    void chargesAFrameToThePartItsPackageBelongsTo() {
        assertThat(Owner.of("org.apache.coyote.http11.Http11Processor")).isEqualTo(Owner.TOMCAT);
        assertThat(Owner.of("org.springframework.web.servlet.DispatcherServlet")).isEqualTo(Owner.SPRING_WEB);
        assertThat(Owner.of("org.springframework.kafka.core.KafkaTemplate")).isEqualTo(Owner.SPRING);
        assertThat(Owner.of("io.patchbay.adapter.web.ResourceController")).isEqualTo(Owner.PATCHBAY);
        assertThat(Owner.of("java.util.HashMap")).isEqualTo(Owner.JDK);
        assertThat(Owner.of("net.example.Unknown")).isEqualTo(Owner.OTHER);
    }

    @Test
    void chargesABusyThreadsSamplesToTheCodeItRunsAndFiltersByThreadAndTime(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            Thread busy = new Thread(SampleOwnersTest::spin, "busy-owner-test");
            busy.start();
            busy.join();
            recording.stop();
            recording.dump(file);
        }

        SampleOwners owners = SampleOwners.read(ChildArguments.parse(new SampleOwners.Options(), file.toString(),
                "--threads", "busy-owner-test"));
        String report = owners.report(5);

        assertThat(owners.share(Owner.PATCHBAY)).as(report).isGreaterThan(0.5);
        assertThat(report).contains("SampleOwnersTest.spin");
        SampleOwners none = SampleOwners.read(ChildArguments.parse(new SampleOwners.Options(), file.toString(),
                "--threads", "busy-owner-test", "--to", "2000-01-01T00:00:00Z"));
        assertThat(none.share(Owner.PATCHBAY)).isZero();
    }

    private static void spin() {
        long deadline = System.nanoTime() + Duration.ofMillis(600).toNanos();
        long x = 1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        spun = x;
    }
}
