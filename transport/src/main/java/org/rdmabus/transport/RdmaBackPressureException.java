package org.rdmabus.transport;

/**
 * Too many sends to one peer wait already: the peer is not consuming (it holds all of this node's credits) and the
 * bounded queue in front of it is full. Wait for earlier sends to complete, or use {@link RdmaConnection#sendAll},
 * which waits by itself.
 */
public final class RdmaBackPressureException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;

    /**
     * @param nodeId the peer
     * @param limit  how many sends may wait
     */
    public RdmaBackPressureException(String nodeId, int limit) {
        super(limit + " sends to node '" + nodeId + "' are waiting already: it is not consuming as fast as it is sent to");
        this.nodeId = nodeId;
    }

    /**
     * The peer.
     *
     * @return its node id
     */
    public String nodeId() {
        return nodeId;
    }
}
