package io.patchbay.devstack.infra;

/**
 * The selected infrastructure cannot run here (container mode without Docker). Test code turns it into a skipped
 * test, never a failure; this module stays free of test frameworks.
 */
public final class InfrastructureUnavailableException extends RuntimeException {

    public InfrastructureUnavailableException(String message) {
        super(message);
    }
}
