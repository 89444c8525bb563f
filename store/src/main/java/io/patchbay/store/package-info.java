/**
 * patchbay's PostgreSQL schema and its repositories, shared by both apps and the admin CLI.
 * {@link io.patchbay.store.Store#on} waits for the database when asked ({@code awaitDatabase}), migrates (Flyway) and
 * gives a {@link org.jdbi.v3.core.Jdbi} configured once by {@link io.patchbay.store.jdbi.StorePlugin} (instants, row
 * mappers); each table family has a package of its own
 * ({@code evaluation}, {@code automation}, {@code commandlog}, {@code request}, {@code parking}, {@code auth},
 * {@code team}).
 */
package io.patchbay.store;
