package org.rdmabus.pool.impl;

import java.util.concurrent.atomic.AtomicBoolean;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.ReceivedMessage;

/**
 * One receive buffer lent to the message sink. Each delivery gets its own lease, so a late or repeated release of
 * an old lease can never return a buffer that has since been lent again.
 */
final class ReceiveLease implements ReceivedMessage {
    private final Inbound owner;
    final int bufferIndex;
    final Peer peer;
    final long epoch;
    private final FrameType type;
    private final int flags;
    private final long sequence;
    private final AtomicBoolean released = new AtomicBoolean();

    ReceiveLease(Inbound owner, int bufferIndex, Peer peer, long epoch, FrameType type, int flags, long sequence) {
        this.owner = owner;
        this.bufferIndex = bufferIndex;
        this.peer = peer;
        this.epoch = epoch;
        this.type = type;
        this.flags = flags;
        this.sequence = sequence;
    }

    @Override
    public FrameType type() {
        return type;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("received message from " + peer.nodeId + " (sequence " + sequence
                + ") released twice");
        }
        owner.returned(this);
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }
}
