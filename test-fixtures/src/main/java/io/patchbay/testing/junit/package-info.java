/**
 * JUnit extensions of the test fixtures: {@link io.patchbay.testing.junit.TestNamespace}, a test's own database
 * (migrated) and topic prefix on the shared real infrastructure.
 */
package io.patchbay.testing.junit;
