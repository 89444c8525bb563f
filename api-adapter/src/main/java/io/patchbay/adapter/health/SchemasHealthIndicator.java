package io.patchbay.adapter.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.patchbay.schemas.serde.SchemaWarmUp;

/**
 * {@code schemas} health (in the readiness group): UP once the command schemas are registered and their ids cached
 * ({@link SchemaWarmUp}, at start), DOWN until then, with the registry's last failure. It stays UP afterwards: the
 * adapter writes with the cached ids and no longer needs the registry to publish.
 */
public final class SchemasHealthIndicator implements HealthIndicator {

    private final SchemaWarmUp warmUp;

    public SchemasHealthIndicator(SchemaWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Health health() {
        return warmUp.isDone() ? Health.up().withDetail("registered", warmUp.schemas().size()).build()
                : Health.down().withDetail("reason", warmUp.lastFailure()).build();
    }
}
