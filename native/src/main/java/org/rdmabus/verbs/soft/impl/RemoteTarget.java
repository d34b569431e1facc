package org.rdmabus.verbs.soft.impl;

import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * A target address resolved against a mapped peer: the target number and the access key the address carries,
 * plus the target's receive queue and completion ring once looked up.
 */
final class RemoteTarget {
    private final RemoteNic nic;
    private final int number;
    private final long accessKey;
    private volatile RemoteReceiveQueue receiveQueue;
    private volatile ManyToOneRingBuffer completionRing;

    RemoteTarget(RemoteNic nic, int number, long accessKey) {
        this.nic = nic;
        this.number = number;
        this.accessKey = accessKey;
    }

    RemoteNic nic() {
        return nic;
    }

    int number() {
        return number;
    }

    long accessKey() {
        return accessKey;
    }

    /**
     * A target number's queues never change while it is published, so the first lookup is kept.
     *
     * @return the target's receive queue, or {@code null} if it cannot be mapped.
     */
    RemoteReceiveQueue receiveQueue() {
        RemoteReceiveQueue queue = receiveQueue;
        if (queue == null) {
            queue = nic.receiveQueue(nic.segment().targetSrqId(number));
            receiveQueue = queue;
        }
        return queue;
    }

    /** @return the target's receive completion ring, or {@code null} if it cannot be mapped. */
    ManyToOneRingBuffer completionRing() {
        ManyToOneRingBuffer ring = completionRing;
        if (ring == null) {
            ring = nic.completionRing(nic.segment().targetCqId(number));
            completionRing = ring;
        }
        return ring;
    }
}
