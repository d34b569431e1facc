package org.rdmabus.pool;

/**
 * The message was not delivered because its connection or the whole pool closed first.
 */
public final class ConnectionClosedException extends PoolException {
    private static final long serialVersionUID = 1L;

    /** @param nodeId the peer. */
    public ConnectionClosedException(String nodeId) {
        super("connection to node '" + nodeId + "' closed before the message was sent", null);
    }
}
