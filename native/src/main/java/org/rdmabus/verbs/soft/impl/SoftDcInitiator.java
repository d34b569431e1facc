package org.rdmabus.verbs.soft.impl;

import java.util.Objects;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/** A DC initiator: a {@link SendQueue} whose requests each name their target. */
final class SoftDcInitiator implements DcInitiator, SoftQueuePair {
    private final SoftNic nic;
    private final SendQueue queue;

    SoftDcInitiator(SoftNic nic, SendQueue queue) {
        this.nic = nic;
        this.queue = queue;
    }

    @Override
    public boolean post(TargetAddress target, WorkRequest request) {
        return queue.post(Objects.requireNonNull(target, "target"), request);
    }

    @Override
    public QueuePairState state() {
        return queue.state();
    }

    @Override
    public void reset() {
        queue.reset();
    }

    @Override
    public int sendQueueSpace() {
        return queue.space();
    }

    @Override
    public SendQueue sendQueue() {
        return queue;
    }

    @Override
    public void close() {
        nic.destroyQueuePair(this);
    }
}
