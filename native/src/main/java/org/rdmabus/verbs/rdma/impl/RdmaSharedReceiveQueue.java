package org.rdmabus.verbs.rdma.impl;

import java.util.ArrayList;
import java.util.List;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.VerbsException;

/**
 * A verbs shared receive queue. Each posted buffer takes a slot whose number travels in the work-request id,
 * so a receive completion finds the caller's id without a lookup. Posting may happen on any thread.
 * <p>
 * Verbs reports nothing for buffers still posted when a shared receive queue is destroyed; this class reports
 * them as {@link CompletionStatus#FLUSHED} on the completion queue of the first queue pair or target that used
 * it, as the SPI promises.
 * <p>
 * {@link #posted()} counts a buffer until its receive completion is polled: verbs does not say when the NIC
 * consumed a buffer, only the completion does. (The {@code soft} provider can tell earlier.)
 */
final class RdmaSharedReceiveQueue implements SharedReceiveQueue {
    private static final int ENOMEM = 12;

    private final RdmaNic nic;
    private final long srq;
    private final int capacity;
    private final int slot;
    private final long[] wrIds;
    private final boolean[] outstanding;
    private final int[] free;
    private final UseGuard guard = new UseGuard();
    private final Attachments attachments;
    private int freeCount;
    private final List<ReceiveQueueUser> users = new ArrayList<>();
    private RdmaCompletionQueue flushTarget;
    /** Where the GRH of each datagram receive goes, or {@code null} for a plain queue. */
    private final RdmaMemoryRegion header;

    /**
     * @param header for a datagram queue pair's receives, a region of at least
     *               {@link RdmaNic#DATAGRAM_HEADER_BYTES} that takes each receive's GRH, kept out of the caller's
     *               buffer; {@code null} for a plain shared receive queue.
     */
    RdmaSharedReceiveQueue(RdmaNic nic, long srq, int capacity, RdmaMemoryRegion header) {
        this.nic = nic;
        this.header = header;
        this.srq = srq;
        this.capacity = capacity;
        this.wrIds = new long[capacity];
        this.outstanding = new boolean[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.attachments = new Attachments("shared receive queue", () -> VerbsNative.destroySrq(srq));
        this.slot = nic.register(this);
    }

    long handle() {
        return srq;
    }

    /** @return bytes each receive's completion counts in front of the caller's buffer (the GRH), or 0. */
    int headerBytes() {
        return header == null ? 0 : RdmaNic.DATAGRAM_HEADER_BYTES;
    }

    /** Called when a queue pair or target starts taking its receives from here. */
    synchronized void attach(RdmaCompletionQueue receiveCompletions) {
        attachments.attach();
        if (flushTarget == null) {
            flushTarget = receiveCompletions;
        }
    }

    /** Called when it starts consuming buffers: after {@link #attach}, once it exists. */
    synchronized void addUser(ReceiveQueueUser user) {
        users.add(user);
    }

    /** Called when a queue pair or target that used this queue is destroyed. */
    void detach(ReceiveQueueUser user) {
        synchronized (this) {
            users.remove(user);
        }
        attachments.detach();
    }

    @Override
    public boolean postReceive(long wrId, MemoryRegion region, long offset, int length) {
        RdmaMemoryRegion buffer = nic.ownRegion(region);
        buffer.checkRange(offset, length);
        if (!guard.enter()) {
            throw new IllegalStateException("the shared receive queue is closed");
        }
        try {
            int bufferSlot = take(wrId);
            if (bufferSlot < 0) {
                return false;
            }
            long id = WorkRequestIds.receive(slot, bufferSlot);
            int error = header == null
                ? VerbsNative.postSrqReceive(srq, id, buffer.address() + offset, length, buffer.lkey())
                : VerbsNative.postSrqReceiveWithHeader(srq, id, header.address(), RdmaNic.DATAGRAM_HEADER_BYTES,
                    header.lkey(), buffer.address() + offset, length, buffer.lkey());
            if (error != 0) {
                release(bufferSlot);
                if (error == ENOMEM) {
                    return false;
                }
                throw new VerbsException("ibv_post_srq_recv failed with errno " + error);
            }
            return true;
        } finally {
            guard.exit();
        }
    }

    private synchronized int take(long wrId) {
        if (freeCount == 0) {
            return -1;
        }
        int bufferSlot = free[--freeCount];
        wrIds[bufferSlot] = wrId;
        outstanding[bufferSlot] = true;
        return bufferSlot;
    }

    /** @return the caller's id of a posted buffer. */
    synchronized long wrIdOf(int bufferSlot) {
        return bufferSlot >= 0 && bufferSlot < capacity ? wrIds[bufferSlot] : 0;
    }

    /** @return {@code false} if the buffer was not outstanding (already reported), so its completion is dropped. */
    synchronized boolean release(int bufferSlot) {
        if (bufferSlot < 0 || bufferSlot >= capacity || !outstanding[bufferSlot]) {
            return false;
        }
        outstanding[bufferSlot] = false;
        free[freeCount++] = bufferSlot;
        return true;
    }

    @Override
    public synchronized int posted() {
        return capacity - freeCount;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /**
     * Reports the posted buffers as flushed and stops the queue pairs and targets that still use this queue
     * (they move to ERROR), so the NIC writes into none of those buffers again. The native queue is destroyed
     * with its last user.
     */
    @Override
    public void close() {
        if (!guard.close()) {
            return;
        }
        List<ReceiveQueueUser> stopped;
        synchronized (this) {
            stopped = new ArrayList<>(users);
        }
        for (ReceiveQueueUser user : stopped) {
            user.receiveQueueClosed();
        }
        synchronized (this) {
            for (int i = 0; i < capacity; i++) {
                if (outstanding[i]) {
                    if (flushTarget != null) {
                        flushTarget.addSynthetic(wrIds[i], Opcode.RECV, CompletionStatus.FLUSHED, 0);
                    }
                    release(i);
                }
            }
        }
        nic.forget(this, slot);
        attachments.close();
    }
}
