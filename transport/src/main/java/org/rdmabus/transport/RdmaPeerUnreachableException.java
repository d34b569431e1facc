package org.rdmabus.transport;

/**
 * The peer did not answer at the fabric level: its process died or it is cut off. A message that fails this way may
 * or may not have arrived. Further sends fail fast for a short back-off, then the peer is tried again.
 */
public final class RdmaPeerUnreachableException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;

    /**
     * @param nodeId the peer
     * @param cause  the pool's failure
     */
    public RdmaPeerUnreachableException(String nodeId, Throwable cause) {
        super("node '" + nodeId + "' is unreachable: " + (cause == null ? "no answer" : cause.getMessage()), cause);
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
