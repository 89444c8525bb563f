/**
 * The real parts patchbay runs on, for devstack, the bench and the tests: {@link io.patchbay.devstack.infra.Infrastructure}
 * with the embedded implementation ({@link io.patchbay.devstack.infra.EmbeddedInfrastructure}: in-process KRaft broker,
 * embedded PostgreSQL, Apicurio registry) and a container one; {@link io.patchbay.devstack.infra.SharedInfrastructure}
 * (one per test JVM, namespaces per test class); {@link io.patchbay.devstack.infra.Poll} (waiting with a deadline).
 * No test framework: this is on devstack's runtime classpath.
 */
package io.patchbay.devstack.infra;
