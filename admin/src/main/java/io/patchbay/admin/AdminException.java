package io.patchbay.admin;

/**
 * A provisioning request that was refused: bad input, or a conflict with what is stored. The message is meant for
 * the operator as it is, and never contains a secret.
 */
public class AdminException extends RuntimeException {

    public AdminException(String message) {
        super(message);
    }
}
