package org.rdmabus.verbs.rdma.impl;

import java.util.ArrayList;
import java.util.List;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.VerbsException;

/**
 * A verbs shared receive queue. Each posted buffer takes a slot ({@link ReceiveSlots}) whose ticket travels in
 * the work-request id, so a receive completion finds the caller's id without a lookup. Posting may happen on
 * any thread.
 * <p>
 * Verbs reports nothing for buffers still posted when a shared receive queue is destroyed; this class reports
 * them as {@link org.rdmabus.verbs.CompletionStatus#FLUSHED} on the completion queue of the first queue pair or target that used
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
    private final ReceiveSlots buffers;
    private final UseGuard guard = new UseGuard();
    private final Attachments attachments;
    private final List<ReceiveQueueUser> users = new ArrayList<>();
    private RdmaCompletionQueue flushTarget;

    RdmaSharedReceiveQueue(RdmaNic nic, long srq, int capacity) {
        this.nic = nic;
        this.srq = srq;
        this.capacity = capacity;
        this.buffers = new ReceiveSlots(capacity, 0);
        this.attachments = new Attachments("shared receive queue", () -> VerbsNative.destroySrq(srq));
        this.slot = nic.register(buffers);
    }

    long handle() {
        return srq;
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
            int ticket = buffers.take(wrId, length);
            if (ticket == -1) {
                return false;
            }
            int error = VerbsNative.postSrqReceive(srq, WorkRequestIds.receive(slot, ticket),
                buffer.address() + offset, length, buffer.lkey());
            if (error != 0) {
                buffers.release(ticket);
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

    @Override
    public int posted() {
        return buffers.posted();
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
        RdmaCompletionQueue target;
        synchronized (this) {
            target = flushTarget;
        }
        buffers.flushAll(target);
        nic.forget(this);
        nic.forgetReceives(slot);
        attachments.close();
    }
}
