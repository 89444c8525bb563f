package io.patchbay.store;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;

/**
 * {@code db} health, in each app's readiness group: Spring Boot's {@link DataSourceHealthIndicator} check, with the
 * same status and details, but quiet while PostgreSQL is down. Spring's logs a WARN with the whole stack trace on every
 * call, that is on every readiness probe for as long as the outage lasts; this one logs the reason in one WARN line (the
 * driver's message: host and port, never credentials) and the stack trace only at DEBUG. Registered as the bean
 * {@code dbHealthIndicator}, it replaces Spring's. (Needs {@code spring-boot-health} and {@code spring-boot-jdbc},
 * optional dependencies of this module.)
 */
public final class DatabaseHealthIndicator implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealthIndicator.class);

    private final Check check;

    public DatabaseHealthIndicator(DataSource dataSource) {
        this.check = new Check(dataSource);
    }

    @Override
    public Health health() {
        Health.Builder builder = new Health.Builder();
        try {
            check.run(builder);
        } catch (Exception e) {
            builder.down(e);
            LOG.warn("PostgreSQL health check failed: {}", reason(e));
            LOG.debug("PostgreSQL health check failed", e);
        }
        return builder.build();
    }

    /** The driver's reason when there is one (as {@link DatabaseWait} words it), else the failure's first line. */
    private static String reason(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return DatabaseWait.reason(sql);
            }
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        return failure.getClass().getName() + ": " + message.lines().findFirst().orElse("");
    }

    /** Spring's check itself, without the logging of {@link DataSourceHealthIndicator#health()}. */
    private static final class Check extends DataSourceHealthIndicator {

        Check(DataSource dataSource) {
            super(dataSource);
        }

        void run(Health.Builder builder) throws Exception {
            doHealthCheck(builder);
        }
    }
}
