package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.infra.GuardedProcess;
import io.patchbay.devstack.launch.ClassDataArchive;

/**
 * A processor launched by the fault harness maps the class-data archive made for its extracted jar, and the archive
 * is one its JVM can use: with {@code -Xshare:on} a JVM that cannot map it refuses to start.
 */
class ClassDataArchiveIT {

    @Test
    void aLaunchedProcessorMapsAnArchiveItsJvmCanUse() throws IOException {
        try (FaultStack stack = FaultStack.start(new FaultStack.Config("cds", false, false, 3, 10, 0, Map.of()))) {
            AppProcess processor = stack.startProcessor("processor");
            Path jar = Path.of(processor.command().get(processor.command().indexOf("-jar") + 1));
            Path archive = jar.resolveSibling(jar.getFileName() + ".jsa");

            assertThat(archive).isRegularFile();
            assertThat(processor.command()).contains("-XX:SharedArchiveFile=" + archive);

            List<String> strict = new ArrayList<>(ClassDataArchive.trainingCommand(processor.command(), archive));
            strict.replaceAll(option -> option.startsWith("-XX:ArchiveClassesAtExit=") ? "-Xshare:on" : option);
            Path log = processor.logFile().resolveSibling("processor-share-on.log");
            try (GuardedProcess check = GuardedProcess.start("share-on", strict, System.getenv(), Path.of("").toAbsolutePath(),
                    log, false)) {
                assertThat(check.awaitExit(Duration.ofSeconds(90)).status()).as(check.logTail()).isZero();
            }
            assertThat(Files.readString(log)).doesNotContainIgnoringCase("unable to use shared archive");
        }
    }
}
