package org.rdmabus.transport;

/**
 * The peer answered a request with a failure: its application called {@link RdmaMessage#fail}, or no channel was
 * open there to take the request.
 */
public final class RdmaRemoteFailureException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;
    private final String reason;

    /**
     * @param nodeId the peer that failed the request
     * @param reason the peer's reason
     */
    public RdmaRemoteFailureException(String nodeId, String reason) {
        super("node '" + nodeId + "' failed the request: " + reason);
        this.nodeId = nodeId;
        this.reason = reason;
    }

    /**
     * The peer.
     *
     * @return its node id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The peer's reason.
     *
     * @return the text the peer gave
     */
    public String reason() {
        return reason;
    }
}
