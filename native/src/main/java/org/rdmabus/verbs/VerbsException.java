package org.rdmabus.verbs;

/** Base type of every error the NIC layer throws. Data-path errors are completions, not exceptions. */
public class VerbsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do. */
    public VerbsException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do.
     * @param cause   the underlying failure.
     */
    public VerbsException(String message, Throwable cause) {
        super(message, cause);
    }
}
