package org.rdmabus.verbs.rdma.impl;

/**
 * How a UD queue pair reaches one peer's UD queue pair: the address handle of the peer's port, its queue pair
 * number and Q_Key, the largest datagram the path carries, and the send that last used the handle (which must
 * complete before the handle may be destroyed: Soft-RoCE reads it when the send leaves, not when it is posted).
 */
final class UdRoute {
    private final long ah;
    private final int queuePairNumber;
    private final int qkey;
    private final int maxDatagramSize;
    private long lastUse;

    /**
     * @param ah              the {@code ibv_ah}.
     * @param queuePairNumber the peer's UD queue pair number.
     * @param qkey            the peer's Q_Key.
     * @param maxDatagramSize the smaller of both ports' MTUs, in bytes.
     */
    UdRoute(long ah, int queuePairNumber, int qkey, int maxDatagramSize) {
        this.ah = ah;
        this.queuePairNumber = queuePairNumber;
        this.qkey = qkey;
        this.maxDatagramSize = maxDatagramSize;
    }

    long ah() {
        return ah;
    }

    int queuePairNumber() {
        return queuePairNumber;
    }

    int qkey() {
        return qkey;
    }

    int maxDatagramSize() {
        return maxDatagramSize;
    }

    /** @return the send sequence number that last used this route. */
    long lastUse() {
        return lastUse;
    }

    /** @param sequence the send sequence number of a request posted with this route. */
    void usedBy(long sequence) {
        lastUse = sequence;
    }
}
