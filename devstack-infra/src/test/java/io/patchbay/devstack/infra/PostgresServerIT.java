package io.patchbay.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the embedded server starts: on a port no bind to port 0 can be given meanwhile, listening where its JDBC URL
 * points; and a port another listener holds fails the start within the startup wait, with every reason in the
 * message, instead of hanging zonky's readiness probe on the other listener.
 */
class PostgresServerIT {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void portHeldByAnotherListenerFailsEveryAttemptWithinTheWaitAndNamesEveryReason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> PostgresServer.start(port, null, Duration.ofSeconds(2)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("did not start in " + PostgresServer.START_ATTEMPTS + " attempts")
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("caused by")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void serverOnAnyFreePortListensWhereItsJdbcUrlPointsOutsideTheEphemeralRange() throws Exception {
        try (PostgresServer postgres = PostgresServer.start(0, null);
             var connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             var result = connection.createStatement().executeQuery("show listen_addresses")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("127.0.0.1");
            int ephemeralLow = FreePorts.ephemeralLow();
            if (ephemeralLow > FreePorts.LOWEST) {
                assertThat(postgres.port()).as("picked below the ephemeral range").isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            }
        }
    }

    @Test
    void reasonsListTheWholeCauseChain() {
        var failure = new IOException("pg_ctl failed", new IllegalStateException("exit 1"));

        assertThat(PostgresServer.reasons(failure))
                .isEqualTo("IOException: pg_ctl failed; caused by IllegalStateException: exit 1");
    }
}
