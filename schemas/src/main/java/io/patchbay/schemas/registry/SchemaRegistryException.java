package io.patchbay.schemas.registry;

/**
 * A schema registry call failed. Subclasses name the failures callers act on; this class itself is used for
 * answers the client has no better name for (an unexpected 4xx, a malformed response).
 *
 * <p>Messages name the registry URL and the call, and carry the registry's own {@code error_code} and
 * {@code message}; they never carry credentials.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #httpStatus()} when no HTTP answer was received. */
    public static final int NO_STATUS = -1;
    /** {@link #errorCode()} when the registry sent none. */
    public static final int NO_ERROR_CODE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message) {
        this(message, NO_STATUS, NO_ERROR_CODE, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the registry's answer, or {@link #NO_STATUS}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code error_code} of the registry's answer, or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }
}
