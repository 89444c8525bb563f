package io.patchbay.schemas.registry;

/** Nothing is registered under the subject (Confluent 40401; also any 404 of a "latest version" call). */
public final class SubjectNotFoundException extends RegistryNotFoundException {

    private static final long serialVersionUID = 1L;

    public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
