package io.patchbay.schemas.registry;

/**
 * The schema is unknown: no schema has the requested id (any 404 of {@code GET /schemas/ids/{id}}), or the
 * schema is not registered under the subject it was looked up in (Confluent 40403).
 */
public final class SchemaNotFoundException extends RegistryNotFoundException {

    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
