package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.patchbay.devstack.infra.PostgresServer;

class DatabasesSettleWritesIT {

    @Test
    void settlingWritesTakesACheckpointBeforeALadder() throws SQLException {
        try (PostgresServer postgres = PostgresServer.start(0, null)) {
            long before = requestedCheckpoints(postgres);

            new Databases(postgres).settleWrites();

            assertThat(requestedCheckpoints(postgres)).isGreaterThan(before);
        }
    }

    private static long requestedCheckpoints(PostgresServer postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select num_requested from pg_stat_checkpointer")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
