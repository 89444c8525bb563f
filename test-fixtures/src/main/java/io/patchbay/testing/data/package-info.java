/**
 * Factories of test data: {@link io.patchbay.testing.data.TestStates} (resource states),
 * {@link io.patchbay.testing.data.TestCommands} (commands and their metadata) with plain defaults that a test changes
 * only where it cares, {@link io.patchbay.testing.data.TestData} (fresh rows with unique ids in a database) and
 * {@link io.patchbay.testing.data.CommandLogRows} (whether a processor decided a command).
 */
package io.patchbay.testing.data;
