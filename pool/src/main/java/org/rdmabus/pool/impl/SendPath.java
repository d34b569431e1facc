package org.rdmabus.pool.impl;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A send queue frames leave by, with the completion queue it reports to: a shared DC initiator, or a promoted
 * peer's dedicated reliable queue pair.
 * <p>
 * Any thread may post, one at a time under the path's lock (senders only try the lock and never wait for it); only
 * the owning poller polls. Every post is signalled, and the path keeps its own count of frames in flight, so a
 * slot in the wrId table is reused only after the poller has seen its completion, whatever order completions come
 * in.
 */
abstract class SendPath implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final SendEntry[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private volatile int inFlight;
    private final WorkRequest request = new WorkRequest();
    private final VarHandleBuffer inlineView = new VarHandleBuffer();
    private final int maxInline;
    private final Completion[] completions;
    private long resets;
    private long replacements;
    /** Bumped when the queue pair is replaced, so late completions of the old one cannot match new entries. */
    private int generation;
    private volatile boolean broken;
    /** Peers that found this path full; polled again when its completions free room. */
    final ConcurrentLinkedQueue<Peer> waiters = new ConcurrentLinkedQueue<>();
    final FrameWriter writer;

    SendPath(int depth, int maxInline, int pollBatch, FrameWriter writer) {
        this.slots = new SendEntry[depth];
        this.freeSlots = new int[depth];
        for (int i = 0; i < depth; i++) {
            freeSlots[i] = depth - 1 - i;
        }
        this.freeCount = depth;
        this.maxInline = maxInline;
        this.completions = Completion.array(pollBatch);
        this.writer = writer;
    }

    abstract CompletionQueue completionQueue();

    abstract QueuePairState state();

    /** Brings the queue pair out of error; queued requests complete with FLUSHED before this returns. */
    abstract void resetQueuePair();

    /** Posts to the queue pair; {@code target} is ignored by a connected path. */
    abstract boolean postRequest(TargetAddress target, WorkRequest request);

    /** @return whether this path is a peer's dedicated queue pair. */
    abstract boolean isDedicated();

    /**
     * @return whether data frames and returned credits may travel here: only on a reliable path, where a completion
     *         means the frame reached the peer's receive queue.
     */
    boolean carriesData() {
        return true;
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** @return frames posted and not yet completed; readable without the lock. */
    int inFlight() {
        return inFlight;
    }

    /** @return how many more frames fit; call under the lock. */
    int space() {
        return freeCount;
    }

    /**
     * Posts an entry whose frame is already written. Call under the lock.
     *
     * @return whether it was posted; on {@code false} nothing changed.
     */
    boolean post(SendEntry entry, TargetAddress target) {
        if (freeCount == 0) {
            return false;
        }
        int slot = freeSlots[freeCount - 1];
        SlabChunk owned = entry.chunk();
        if (entry.frameLength < 0 || entry.frameLength > (owned != null ? owned.capacity() : entry.buffer().capacity())) {
            // Posting past the frame's own storage would send bytes of another message: never let it reach the NIC.
            throw new IllegalStateException("frame of " + entry.frameLength + " bytes overruns its storage");
        }
        if (entry.frameLength <= maxInline && owned == null) {
            inlineView.wrap(entry.buffer(), entry.offset(), entry.frameLength);
            request.sendInline(inlineView, 0, entry.frameLength);
        } else {
            SlabChunk chunk = entry.chunk();
            request.send(chunk.region(), chunk.offset(), entry.frameLength);
        }
        request.wrId(((long) generation << 32) | slot).signalled(true);
        if (!postRequest(target, request)) {
            return false;
        }
        freeCount--;
        slots[slot] = entry;
        entry.path = this;
        inFlight++;
        return true;
    }

    /**
     * Polls the completion queue and hands each completed entry, with its status, to {@code batch}. Resets the
     * queue pair if it went into error, so its queued requests come back flushed on a later poll.
     *
     * @return how many completions were found.
     */
    int poll(CompletionBatch batch) {
        int count = completionQueue().poll(completions);
        if (count == 0) {
            return 0;
        }
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                Completion completion = completions[i];
                long wrId = completion.wrId();
                int slot = (int) wrId;
                SendEntry entry = (int) (wrId >>> 32) == generation && slot >= 0 && slot < slots.length
                    ? slots[slot] : null;
                if (entry == null) {
                    continue; // a late completion of a replaced queue pair: its entry was already flushed
                }
                slots[slot] = null;
                freeSlots[freeCount++] = slot;
                inFlight--;
                batch.add(entry, completion.status());
            }
            if (state() == QueuePairState.ERROR) {
                recover(batch);
            }
        } finally {
            lock.unlock();
        }
        return count;
    }

    private void recover(CompletionBatch batch) {
        try {
            resetQueuePair();
            resets++;
            return;
        } catch (RuntimeException resetFailed) {
            // A queue pair that cannot be reset is replaced, or marked broken if that fails too; what it still held
            // is flushed by hand, and the new generation makes any late completion of the old one unrecognisable.
            try {
                replaceQueuePair(resetFailed);
                replacements++;
            } catch (RuntimeException replaceFailed) {
                broken = true;
            }
        }
        generation++;
        takeAll(batch);
    }

    /** @return whether the queue pair could be neither reset nor replaced; nothing more may be posted. */
    boolean isBroken() {
        return broken;
    }

    /**
     * Swaps in a new queue pair on the same completion queue after {@code cause} made reset impossible.
     *
     * @throws RuntimeException if no new queue pair can be created; the path then stays broken.
     */
    abstract void replaceQueuePair(RuntimeException cause);

    /** @return times this path's queue pair was replaced. */
    long replacements() {
        return replacements;
    }

    /** @return times this path's queue pair was reset. */
    long resets() {
        return resets;
    }

    /**
     * Takes every entry still in the slot table, for a pool that is closing and will poll no more.
     *
     * @param batch receives the entries, each with a FLUSHED status.
     */
    void drainForClose(CompletionBatch batch) {
        lock.lock();
        try {
            generation++;
            takeAll(batch);
        } finally {
            lock.unlock();
        }
    }

    private void takeAll(CompletionBatch batch) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                batch.add(slots[i], CompletionStatus.FLUSHED);
                slots[i] = null;
                freeSlots[freeCount++] = i;
            }
        }
        inFlight = 0;
    }
}
