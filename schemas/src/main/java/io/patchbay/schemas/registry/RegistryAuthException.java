package io.patchbay.schemas.registry;

/** The registry refused the credentials (HTTP 401) or the operation (HTTP 403). Not retried. */
public final class RegistryAuthException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public RegistryAuthException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
