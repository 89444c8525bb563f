package io.patchbay.processor.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.patchbay.schemas.serde.SchemaWarmUp;

/**
 * {@code schemas} health (in the readiness group): UP once the schemas of results and change events (and of keys, in
 * the Avro key format) are registered and their ids cached ({@link SchemaWarmUp}, at start), DOWN until then, with
 * the registry's last failure. It stays UP afterwards: the processor writes with the cached ids (a registry outage while a batch needs it fails the batch, which is retried).
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
