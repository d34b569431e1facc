package org.rdmabus.transport;

import java.time.Duration;

/** No reply came within the request's timeout. A reply that arrives later is dropped. */
public final class RdmaRequestTimeoutException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final String nodeId;
    private final transient Duration timeout;

    /**
     * @param nodeId  the peer asked
     * @param timeout how long the request waited
     */
    public RdmaRequestTimeoutException(String nodeId, Duration timeout) {
        super("no reply from node '" + nodeId + "' within " + timeout.toMillis() + " ms");
        this.nodeId = nodeId;
        this.timeout = timeout;
    }

    /**
     * The peer asked.
     *
     * @return its node id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * How long the request waited.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }
}
