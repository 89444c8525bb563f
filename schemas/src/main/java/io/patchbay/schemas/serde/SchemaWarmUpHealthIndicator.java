package io.patchbay.schemas.serde;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code schemas} health, in each app's readiness group: UP once every schema the app writes is registered and its id
 * cached ({@link SchemaWarmUp}, at start), DOWN until then, with the registry's last failure. It stays UP afterwards:
 * the app writes with the cached ids. (Needs {@code spring-boot-health}, an optional dependency of this module.)
 */
public final class SchemaWarmUpHealthIndicator implements HealthIndicator {

    private final SchemaWarmUp warmUp;

    public SchemaWarmUpHealthIndicator(SchemaWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Health health() {
        return warmUp.isDone() ? Health.up().withDetail("registered", warmUp.schemas().size()).build()
                : Health.down().withDetail("reason", warmUp.lastFailure()).build();
    }
}
