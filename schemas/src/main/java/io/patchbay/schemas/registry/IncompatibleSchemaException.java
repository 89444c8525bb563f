package io.patchbay.schemas.registry;

/**
 * The registry refused to register a schema because it breaks the subject's compatibility level (HTTP 409,
 * whatever the {@code error_code}: Confluent sends 409, Apicurio 0).
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
