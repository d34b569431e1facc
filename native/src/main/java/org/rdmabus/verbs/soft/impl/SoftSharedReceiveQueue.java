package org.rdmabus.verbs.soft.impl;

import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.SharedReceiveQueue;

/**
 * The owner's side of a shared receive queue in shared memory ({@link ReceiveQueueLayout}). One thread posts at a
 * time; the completion queue that receives its completions frees descriptors as they are polled.
 */
final class SoftSharedReceiveQueue implements SharedReceiveQueue {
    private final SoftNic nic;
    private final int id;
    private final int capacity;
    private final MappedFile file;
    private final AtomicBuffer buffer;
    private volatile SoftCompletionQueue flushTo;
    private volatile boolean closed;
    private long posted;

    SoftSharedReceiveQueue(SoftNic nic, int id, int capacity, MappedFile file) {
        this.nic = nic;
        this.id = id;
        this.capacity = capacity;
        this.file = file;
        this.buffer = file.buffer();
        buffer.putInt(ReceiveQueueLayout.CAPACITY_OFFSET, capacity);
        buffer.putIntVolatile(ReceiveQueueLayout.STATE_OFFSET, ReceiveQueueLayout.STATE_OPEN);
    }

    int id() {
        return id;
    }

    SoftNic nic() {
        return nic;
    }

    /** Remembers where to report flushed receives; the first target or queue pair using this queue wins. */
    void attach(SoftCompletionQueue completions) {
        if (flushTo == null) {
            flushTo = completions;
        }
    }

    @Override
    public synchronized boolean postReceive(long wrId, MemoryRegion region, long offset, int length) {
        if (closed) {
            throw new IllegalStateException("shared receive queue is closed");
        }
        SoftMemoryRegion target = nic.ownRegion(region, "receive buffer");
        if (!target.access().contains(Access.LOCAL_WRITE)) {
            throw new IllegalArgumentException("a receive buffer's region must be registered with LOCAL_WRITE");
        }
        if (offset < 0 || length < 0 || offset > target.length() - (long) length) {
            throw new IllegalArgumentException("receive buffer [" + offset + ", +" + length + ") is outside the region of "
                + target.length() + " bytes");
        }
        int at = ReceiveQueueLayout.descriptor(posted, capacity);
        if (posted >= capacity && buffer.getLongVolatile(at + ReceiveQueueLayout.COMPLETED_SEQ) != posted - capacity + 1) {
            return false;
        }
        buffer.putLong(at + ReceiveQueueLayout.WR_ID, wrId);
        buffer.putLong(at + ReceiveQueueLayout.OFFSET, offset);
        buffer.putInt(at + ReceiveQueueLayout.RKEY, target.rkey());
        buffer.putInt(at + ReceiveQueueLayout.LENGTH, length);
        posted++;
        buffer.putLongOrdered(ReceiveQueueLayout.POSTED_OFFSET, posted);
        return true;
    }

    /** Called by the completion queue when it polls the receive completion of {@code seq}. */
    void completed(long seq) {
        buffer.putLongOrdered(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.COMPLETED_SEQ, seq + 1);
    }

    @Override
    public int posted() {
        if (closed) {
            return 0;
        }
        long claimed = buffer.getLongVolatile(ReceiveQueueLayout.CLAIMED_OFFSET);
        return (int) Math.max(0, buffer.getLongVolatile(ReceiveQueueLayout.POSTED_OFFSET) - claimed);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private void flush(long from, long end) {
        SoftCompletionQueue completions = flushTo;
        long stamp = nic.guard().readLock();
        try {
            for (long seq = from; completions != null && seq < end; seq++) {
                long wrId = buffer.getLong(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.WR_ID);
                completions.offer(wrId, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false);
            }
        } finally {
            nic.guard().unlockRead(stamp);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        buffer.putIntVolatile(ReceiveQueueLayout.STATE_OFFSET, ReceiveQueueLayout.STATE_CLOSED);
        // Claim what no sender has, exactly as a sender would, so each posted buffer is flushed or filled once.
        long claimed;
        long end = buffer.getLongVolatile(ReceiveQueueLayout.POSTED_OFFSET);
        while ((claimed = buffer.getLongVolatile(ReceiveQueueLayout.CLAIMED_OFFSET)) < end) {
            if (buffer.compareAndSetLong(ReceiveQueueLayout.CLAIMED_OFFSET, claimed, end)) {
                flush(claimed, end);
                break;
            }
        }
        nic.destroyReceiveQueue(this, file);
    }
}
