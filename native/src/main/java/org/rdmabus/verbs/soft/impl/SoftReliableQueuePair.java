package org.rdmabus.verbs.soft.impl;

import java.util.Objects;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * A reliable queue pair: a target-table entry of kind {@link NicSegment#KIND_RELIABLE} for what its peer sends,
 * plus a {@link SendQueue} bound to the peer's entry once connected. Same checks and error semantics as DC.
 */
final class SoftReliableQueuePair implements ReliableQueuePair, SoftQueuePair {
    private final SoftNic nic;
    private final SendQueue queue;
    private final int number;
    private final TargetAddress localAddress;
    private volatile TargetAddress remote;

    SoftReliableQueuePair(SoftNic nic, SendQueue queue, int number, TargetAddress localAddress) {
        this.nic = nic;
        this.queue = queue;
        this.number = number;
        this.localAddress = localAddress;
    }

    int number() {
        return number;
    }

    SoftNic nic() {
        return nic;
    }

    @Override
    public TargetAddress localAddress() {
        return localAddress;
    }

    @Override
    public synchronized void connect(TargetAddress peer) {
        Objects.requireNonNull(peer, "peer");
        if (queue.state() == QueuePairState.CLOSED) {
            throw new IllegalStateException("queue pair is closed");
        }
        if (remote != null) {
            throw new IllegalStateException("already connected to " + remote);
        }
        nic.checkReliablePeer(peer);
        remote = peer;
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public boolean post(WorkRequest request) {
        TargetAddress peer = remote;
        if (peer == null) {
            throw new IllegalStateException("connect the reliable queue pair before posting");
        }
        return queue.post(peer, request);
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

    @Override
    public String toString() {
        return "SoftReliableQueuePair{" + localAddress + " -> " + remote + '}';
    }

    static VerbsException notReliable(TargetAddress peer, String why) {
        return new VerbsException("cannot connect to " + peer + ": " + why);
    }
}
