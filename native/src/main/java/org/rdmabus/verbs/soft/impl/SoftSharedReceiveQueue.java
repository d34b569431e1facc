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
 * <p>
 * A sender that dies between claiming a descriptor and committing its completion leaves that descriptor claimed
 * for ever: its buffer would never come back, and once the ring wraps round to it nothing more could be posted.
 * The completion queue skips the dead sender's record after the peer timeout ({@link SoftCompletionQueue}); it
 * then asks this queue to {@link #reclaimAbandoned reclaim} every descriptor claimed before its ring drained that
 * still has no completion, which hands the buffer back with {@link CompletionStatus#RETRY_EXCEEDED}.
 */
final class SoftSharedReceiveQueue implements SharedReceiveQueue {
    private final SoftNic nic;
    private final int id;
    private final int capacity;
    private final MappedFile file;
    private final AtomicBuffer buffer;
    private volatile SoftCompletionQueue flushTo;
    /** Whether targets or queue pairs report this queue's receives to more than one completion queue. */
    private volatile boolean severalCompletionQueues;
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
    synchronized void attach(SoftCompletionQueue completions) {
        if (flushTo == null) {
            flushTo = completions;
        } else if (flushTo != completions) {
            severalCompletionQueues = true;
        }
    }

    /**
     * @return whether every receive completion of this queue goes to {@code completions}: only then can that queue
     *     tell, from its own ring having drained, that a claimed descriptor without a completion was abandoned.
     */
    boolean reportsOnlyTo(SoftCompletionQueue completions) {
        return flushTo == completions && !severalCompletionQueues;
    }

    /** @return how many descriptors senders have claimed so far. */
    long claimed() {
        return buffer.getLongVolatile(ReceiveQueueLayout.CLAIMED_OFFSET);
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

    /**
     * Called by the completion queue when it polls the receive completion of {@code seq}.
     *
     * @return {@code false} when that descriptor was already completed, by {@link #reclaimAbandoned}: the record is
     *     then from a sender that came back after being taken for dead, and its buffer belongs to the owner again.
     */
    boolean completed(long seq) {
        int at = ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.COMPLETED_SEQ;
        if (buffer.getLongVolatile(at) > seq) {
            return false;
        }
        buffer.putLongOrdered(at, seq + 1);
        return true;
    }

    /**
     * Hands back the buffers of descriptors whose sender died after claiming them. The caller, the completion queue
     * that receives every completion of this queue, read {@code claimedBefore} from {@link #claimed()} and then found
     * its ring drained: every sender reserves its completion record before it claims a descriptor, so each
     * descriptor below {@code claimedBefore} has had its record read, or its record was skipped as abandoned. Those
     * still without a completion complete now, with {@link CompletionStatus#RETRY_EXCEEDED}, into that queue.
     *
     * @param claimedBefore {@link #claimed()} as read before the ring was found drained.
     * @return {@code false} if the completion queue was full and some are left for the next call.
     */
    synchronized boolean reclaimAbandoned(long claimedBefore) {
        SoftCompletionQueue completions = flushTo;
        if (closed || completions == null) {
            return true;
        }
        // A descriptor is overwritten only once completed, so anything still open is within the last ring's worth.
        for (long seq = Math.max(0, claimedBefore - capacity); seq < claimedBefore; seq++) {
            int at = ReceiveQueueLayout.descriptor(seq, capacity);
            if (buffer.getLongVolatile(at + ReceiveQueueLayout.COMPLETED_SEQ) > seq) {
                continue;
            }
            long wrId = buffer.getLong(at + ReceiveQueueLayout.WR_ID);
            if (!completions.offer(wrId, Opcode.RECV, CompletionStatus.RETRY_EXCEEDED, 0, 0, false)) {
                return false;
            }
            buffer.putLongOrdered(at + ReceiveQueueLayout.COMPLETED_SEQ, seq + 1);
        }
        return true;
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
