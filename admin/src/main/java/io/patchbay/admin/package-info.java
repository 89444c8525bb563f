/**
 * {@code patchbay-admin}, provisioning from the command line: {@link io.patchbay.admin.AdminCli} and its subcommands
 * in {@code cli}, on top of {@code teams}, {@code keys} (API keys) and {@code resources} (JSON Lines import and export),
 * which write through {@code store}.
 */
package io.patchbay.admin;
