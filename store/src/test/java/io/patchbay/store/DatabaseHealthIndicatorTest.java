package io.patchbay.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.patchbay.devstack.infra.FreePorts;

/** The {@code db} health check against a real driver whose server is away (nothing listens on its port). */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseHealthIndicatorTest {

    @Test
    void aDatabaseThatIsDownIsReportedDownAndLoggedInOneLineWithoutStackTraceOrPassword(CapturedOutput output) {
        String password = "not-for-any-log-" + System.nanoTime();
        int port = FreePorts.find();
        PGSimpleDataSource away = new PGSimpleDataSource();
        away.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/patchbay?connectTimeout=5");
        away.setUser("patchbay");
        away.setPassword(password);
        DatabaseHealthIndicator indicator = new DatabaseHealthIndicator(away);

        Health first = indicator.health();
        Health second = indicator.health();

        assertThat(first.getStatus()).isEqualTo(Status.DOWN);
        assertThat(second.getStatus()).isEqualTo(Status.DOWN);
        assertThat(first.getDetails()).containsKey("error");
        assertThat(output.getOut().lines().filter(line -> line.contains("PostgreSQL health check failed")))
                .as("one line per failed check, with the driver's reason")
                .hasSize(2).allMatch(line -> line.contains("127.0.0.1:" + port) && line.contains("[SQLSTATE 08001]"));
        assertThat(output.getAll()).doesNotContain(password).doesNotContain("\tat ");
    }
}
