package org.rdmabus.samples.impl.demo;

/** The demo could not finish: a node failed, died or did not answer in time. The message says which and why. */
public final class DemoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public DemoException(String message) {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   why.
     */
    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
