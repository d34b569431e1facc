package org.rdmabus.transport;

/**
 * Base type of every failure an {@link RdmaChannel} reports. This type itself stands for a transfer the fabric
 * failed for a reason without a subtype of its own; the pool's failure is the cause.
 */
public class RdmaChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do about it
     */
    public RdmaChannelException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do about it
     * @param cause   the underlying failure, or {@code null}
     */
    public RdmaChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
