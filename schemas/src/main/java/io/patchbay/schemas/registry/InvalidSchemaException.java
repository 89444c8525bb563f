package io.patchbay.schemas.registry;

/** The registry rejected the schema itself as invalid (HTTP 422, Confluent {@code error_code} 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
