package org.rdmabus.transport;

/** The cluster knows no node by that id, or the node advertises no fabric address. */
public final class RdmaUnknownNodeException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;

    /**
     * @param nodeId the node asked for
     * @param cause  the pool's failure, or {@code null}
     */
    public RdmaUnknownNodeException(String nodeId, Throwable cause) {
        super("no node '" + nodeId + "' with an rdmabus fabric address in the cluster: it left, never joined, "
            + "or runs without rdmabus", cause);
        this.nodeId = nodeId;
    }

    /**
     * The node asked for.
     *
     * @return its id
     */
    public String nodeId() {
        return nodeId;
    }
}
