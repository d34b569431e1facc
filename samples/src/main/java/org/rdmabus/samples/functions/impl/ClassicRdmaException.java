package org.rdmabus.samples.functions.impl;

/**
 * A classic function instance or service responder could not do its part: a verbs resource could not be created,
 * the address exchange failed or was refused, or a call failed or went unanswered. The message says which and why.
 */
public final class ClassicRdmaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public ClassicRdmaException(String message) {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   why.
     */
    public ClassicRdmaException(String message, Throwable cause) {
        super(message, cause);
    }
}
