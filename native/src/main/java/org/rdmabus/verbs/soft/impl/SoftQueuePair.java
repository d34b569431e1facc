package org.rdmabus.verbs.soft.impl;

/** What the soft NIC's queue pairs share: a send queue the NIC's agent progresses and the fault hook reaches. */
interface SoftQueuePair {
    /** @return the send queue. */
    SendQueue sendQueue();
}
