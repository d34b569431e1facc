package org.rdmabus.transport.impl;

import io.vertx.core.buffer.Buffer;

/** Receives the messages a {@link NodeChannel} delivers, on the channel's own (non-Vert.x) thread. */
@FunctionalInterface
public interface InboundHandler {

    /**
     * One message from a peer. Must not block: the channel's poller thread calls it.
     *
     * @param sourceNodeId the cluster node id of the sender
     * @param message      the sender's encoded message
     */
    void handle(String sourceNodeId, Buffer message);
}
