package org.rdmabus.samples.impl.node;

/**
 * A sample could not finish: a node JVM failed, died or did not answer in time. The message says which and why.
 */
public final class SampleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public SampleException(String message) {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   why.
     */
    public SampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
