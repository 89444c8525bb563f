package io.patchbay.devstack.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClassDataArchiveTest {

    @Test
    void trainingRunsTheLaunchUntilItsContextIsRefreshedOnAFreePortAndWritesTheArchive() {
        List<String> launch = List.of("/jdk/bin/java", "-Xmx256m", "-jar", "/x/app.jar", "--server.port=8080",
                "--spring.datasource.url=jdbc:postgresql://h/db");

        assertThat(ClassDataArchive.trainingCommand(launch, Path.of("/x/app.jar.jsa.partial-1"))).containsExactly(
                "/jdk/bin/java", "-Xmx256m", "-XX:ArchiveClassesAtExit=/x/app.jar.jsa.partial-1",
                "-Dspring.context.exit=onRefresh", "-jar", "/x/app.jar", "--server.port=0",
                "--spring.datasource.url=jdbc:postgresql://h/db");
    }

    @Test
    void aCommandWithoutAJarIsRefused() {
        assertThatThrownBy(() -> ClassDataArchive.trainingCommand(List.of("/jdk/bin/java", "-version"), Path.of("a.jsa")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
