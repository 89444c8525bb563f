/**
 * Log lines as test evidence: {@link io.patchbay.testing.logging.LogCapture}, the events of a logger kept in memory
 * for the span of a test.
 */
package io.patchbay.testing.logging;
