/**
 * The local stack: {@link io.patchbay.devstack.Devstack} starts the real infrastructure ({@code devstack-infra}), both
 * apps in this JVM ({@link io.patchbay.devstack.PatchbayApps}) and the demo data ({@link io.patchbay.devstack.DemoData})
 * that the end-to-end tests use too. The fault harness is in {@code faults}, how it and the benchmark start app JVMs in
 * {@code launch}.
 */
package io.patchbay.devstack;
