package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * Base type of every failure the pool reports to a sender. Failures that come from the fabric carry the
 * {@link CompletionStatus} that produced them; failures the pool decides itself (a message too large, a closed
 * connection) carry {@code null}.
 */
public class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CompletionStatus status;

    /**
     * @param message what failed and what to do about it.
     * @param status  the fabric's completion status, or {@code null} when the pool refused on its own.
     */
    public PoolException(String message, CompletionStatus status) {
        super(message);
        this.status = status;
    }

    /**
     * @param message what failed and what to do about it.
     * @param status  the fabric's completion status, or {@code null}.
     * @param cause   the underlying failure.
     */
    public PoolException(String message, CompletionStatus status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the completion status that caused this failure, or {@code null} when the pool refused on its own. */
    public CompletionStatus status() {
        return status;
    }
}
