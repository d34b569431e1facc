package org.rdmabus.verbs.rdma.impl;

/** A queue pair or target that takes its receives from a {@link RdmaSharedReceiveQueue}. */
interface ReceiveQueueUser {

    /**
     * The shared receive queue was closed: stop consuming its buffers (they were reported flushed) by moving
     * to ERROR.
     */
    void receiveQueueClosed();
}
