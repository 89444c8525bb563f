package io.patchbay.store.schema;

/**
 * A writer schema of stored change events.
 *
 * @param fingerprint SHA-256 of its Parsing Canonical Form ({@code io.patchbay.schemas.registry.SchemaFingerprints})
 * @param subject the registry subject it was registered under when first used
 * @param schemaText the schema (Avro JSON), as the writer had it
 * @param registeredId the registry id it had when first stored (informational: ids are what this table makes optional)
 */
public record WriterSchema(byte[] fingerprint, String subject, String schemaText, int registeredId) {
}
