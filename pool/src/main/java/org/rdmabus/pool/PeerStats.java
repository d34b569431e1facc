package org.rdmabus.pool;

/** Live counters of the traffic with one peer, as plain numbers. */
public interface PeerStats {

    /** @return the peer's node id. */
    String nodeId();

    /** @return frames delivered to the peer, control frames included. */
    long framesSent();

    /** @return bytes delivered to the peer, headers included. */
    long bytesSent();

    /** @return frames received from the peer, control frames included. */
    long framesReceived();

    /** @return bytes received from the peer, headers included. */
    long bytesReceived();

    /** @return messages waiting in the connection's send queue. */
    int queuedMessages();

    /** @return frames this node may still send to the peer before it returns credits. */
    int sendCredits();

    /** @return messages that failed, for any reason. */
    long sendFailures();
}
