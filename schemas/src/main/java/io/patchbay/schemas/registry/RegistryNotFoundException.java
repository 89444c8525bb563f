package io.patchbay.schemas.registry;

/**
 * The registry answered 404. Any 404 maps to this class or a subclass whatever its {@code error_code}, because
 * registries disagree on the sub-codes (Apicurio answers 40402 where Confluent answers 40401, and 40401 where
 * Confluent answers 40403). Catch this class to mean "not there"; the subclasses are best-effort refinements.
 */
public class RegistryNotFoundException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public RegistryNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
