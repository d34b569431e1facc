package org.rdmabus.pool;

/**
 * A message is longer than {@link PoolOptions#maxMessageSize()}. Refused before anything was allocated or queued.
 */
public final class MessageTooLargeException extends PoolException {
    private static final long serialVersionUID = 1L;
    private final int length;
    private final int limit;

    /**
     * @param length the message's length.
     * @param limit  the largest length allowed.
     */
    public MessageTooLargeException(int length, int limit) {
        super("message of " + length + " bytes exceeds the pool's maxMessageSize of " + limit
            + " bytes: segment it or raise maxMessageSize together with receiveBufferSize on every node", null);
        this.length = length;
        this.limit = limit;
    }

    /** @return the refused message's length. */
    public int length() {
        return length;
    }

    /** @return the largest message length allowed. */
    public int limit() {
        return limit;
    }
}
