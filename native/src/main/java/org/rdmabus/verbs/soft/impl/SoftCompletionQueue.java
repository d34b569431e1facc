package org.rdmabus.verbs.soft.impl;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.Opcode;

/**
 * A completion queue: an Agrona {@link ManyToOneRingBuffer} in a shared-memory file. This NIC's queue pairs write
 * their send completions into it, and senders in any process write the receive completions of targets that
 * report here. One thread polls at a time.
 * <p>
 * A producer that dies half-way through writing a record would stop the consumer at that record; after the peer
 * timeout without progress the queue asks Agrona to {@link ManyToOneRingBuffer#unblock() unblock} past it. If that
 * producer was a sender that had claimed a receive descriptor, the receive would never complete: once the ring has
 * drained, the receive queues reporting here reclaim such descriptors
 * ({@link SoftSharedReceiveQueue#reclaimAbandoned}), and a record that turns up for one later is dropped.
 */
final class SoftCompletionQueue implements CompletionQueue {
    private final SoftNic nic;
    private final int id;
    private final int capacity;
    private final MappedFile file;
    private final ManyToOneRingBuffer ring;
    private final MessageHandler handler = this::onCompletion;
    private volatile boolean closed;
    private Completion[] out;
    private int filled;
    private long stalledSince;
    /** Set when a record was skipped as abandoned: receive descriptors may need reclaiming. */
    private boolean reclaimDue;

    SoftCompletionQueue(SoftNic nic, int id, int capacity, MappedFile file) {
        this.nic = nic;
        this.id = id;
        this.capacity = capacity;
        this.file = file;
        this.ring = new ManyToOneRingBuffer(file.buffer());
    }

    int id() {
        return id;
    }

    SoftNic nic() {
        return nic;
    }

    @Override
    public int poll(Completion[] completions) {
        long stamp = nic.guard().readLock();
        try {
            if (closed) {
                return 0;
            }
            out = completions;
            filled = 0;
            ring.read(handler, completions.length);
            if (filled == 0) {
                unblockIfStalled();
            } else {
                stalledSince = 0;
            }
            if (reclaimDue) {
                reclaimDue = !nic.reclaimAbandonedReceives(this, () -> ring.producerPosition() == ring.consumerPosition());
            }
            return filled;
        } finally {
            out = null;
            nic.guard().unlockRead(stamp);
        }
    }

    private void onCompletion(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type != CompletionRecord.MESSAGE_TYPE || length != CompletionRecord.LENGTH) {
            return;
        }
        int srqId = CompletionRecord.srqId(buffer, index);
        if (srqId != 0 && !nic.receiveCompleted(srqId, CompletionRecord.srqSeq(buffer, index))) {
            return; // its receive was reclaimed when its sender was taken for dead: the buffer is the owner's again
        }
        CompletionRecord.read(buffer, index, out[filled++]);
    }

    private void unblockIfStalled() {
        if (ring.producerPosition() == ring.consumerPosition()) {
            stalledSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (stalledSince == 0) {
            stalledSince = now;
        } else if (now - stalledSince > nic.peerTimeoutNanos()) {
            ring.unblock();
            stalledSince = 0;
            reclaimDue = true;
        }
    }

    /**
     * Writes a completion produced in this process. The caller holds the NIC's guard or owns this queue.
     *
     * @return {@code false} if the ring is full (retry later); {@code true} if written or the queue is closed.
     */
    boolean offer(long wrId, Opcode opcode, CompletionStatus status, int byteLength, int immediate,
                  boolean hasImmediate) {
        return closed || CompletionRecord.offer(ring, wrId, opcode, status, byteLength, immediate, hasImmediate, 0, 0);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        nic.destroyCompletionQueue(this, file);
    }
}
