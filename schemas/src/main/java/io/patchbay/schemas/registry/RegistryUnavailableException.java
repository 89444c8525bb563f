package io.patchbay.schemas.registry;

/**
 * The registry could not be reached, or kept answering 5xx, through every attempt the retry policy allowed.
 * The message names the URL, the call and the number of attempts; the cause is the last I/O error, if any.
 * Unlike the other failures this one is transient: the same call may succeed later.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RegistryUnavailableException(String message, int attempts, int lastHttpStatus, Throwable cause) {
        super(message, lastHttpStatus, NO_ERROR_CODE, cause);
        this.attempts = attempts;
    }

    /** This exception among {@code e} and its causes (a deserializer wraps it), or null: a transient failure. */
    public static RegistryUnavailableException findIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }

    /** How many requests were sent before giving up. */
    public int attempts() {
        return attempts;
    }
}
