/**
 * Retrying with back-off, shared by the registry client, the schema warm-up and the store's wait for PostgreSQL.
 */
package io.patchbay.schemas.retry;
