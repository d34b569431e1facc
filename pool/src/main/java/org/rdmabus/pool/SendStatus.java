package org.rdmabus.pool;

/** What {@link Connection#offer} did with a message. */
public enum SendStatus {
    /** Copied and queued; its {@link SendCallback} will be called exactly once. */
    ACCEPTED,
    /**
     * Not taken: the connection's send queue is full, or registered send memory is exhausted. Nothing was copied
     * and the callback will not be called. Offer again after the connection's drain handler runs.
     */
    BACK_PRESSURED,
    /**
     * Refused for good, for example a message larger than {@link PoolOptions#maxMessageSize()}, a peer known to be
     * unreachable, or a closed connection. The callback has already been called with the typed reason.
     */
    REJECTED
}
