package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.Opcode;

/**
 * The receive buffers posted to one verbs receive queue (a shared receive queue, or a UD queue pair's own), by
 * slot, so a receive completion finds the caller's id from the work-request id alone.
 * <p>
 * A buffer is posted under a 32-bit ticket, the buffer field of {@link WorkRequestIds#receive}:
 * <pre>
 *  0 | generation (31 - indexBits) | slot index (indexBits, enough for the capacity)
 * </pre>
 * The generation counts the slot's uses. When the provider reports buffers itself (a reset of a queue pair that
 * owns its receive queue, a close) the NIC may still deliver their own completions later, after the slot was
 * posted again; the stale generation makes {@link #release} refuse those, so each buffer completes exactly once
 * and never under another buffer's id.
 * <p>
 * Thread-safe: posting threads take slots, the polling thread releases them.
 */
final class ReceiveSlots {
    private final int capacity;
    private final int headerLength;
    private final int indexBits;
    private final int indexMask;
    private final long[] wrIds;
    private final int[] lengths;
    private final int[] generations;
    private final boolean[] outstanding;
    private final int[] free;
    private int freeCount;

    /**
     * @param capacity     the most buffers posted at once.
     * @param headerLength bytes the NIC writes ahead of the payload that the caller's buffer does not receive
     *                     (the GRH on UD), subtracted from receive completions' byte counts.
     */
    ReceiveSlots(int capacity, int headerLength) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("receive queue capacity must be 1.." + (1 << 24) + ": " + capacity);
        }
        this.capacity = capacity;
        this.headerLength = headerLength;
        this.indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(capacity - 1));
        this.indexMask = (int) ((1L << indexBits) - 1);
        this.wrIds = new long[capacity];
        this.lengths = new int[capacity];
        this.generations = new int[capacity];
        this.outstanding = new boolean[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /** @return bytes of each receive that precede the payload and are not the caller's. */
    int headerLength() {
        return headerLength;
    }

    /** @return the most buffers posted at once. */
    int capacity() {
        return capacity;
    }

    /**
     * @param wrId   the caller's id for the buffer.
     * @param length the buffer's length.
     * @return the buffer's ticket, or -1 when every slot is in use.
     */
    synchronized int take(long wrId, int length) {
        if (freeCount == 0) {
            return -1;
        }
        int index = free[--freeCount];
        wrIds[index] = wrId;
        lengths[index] = length;
        outstanding[index] = true;
        return (generations[index] << indexBits) | index;
    }

    /**
     * @param ticket a ticket from {@link #take}.
     * @return the slot index it names, for per-slot scratch memory.
     */
    int index(int ticket) {
        return ticket & indexMask;
    }

    /** @return the caller's id of a posted buffer, or 0 for a ticket that is not outstanding. */
    synchronized long wrIdOf(int ticket) {
        return current(ticket) ? wrIds[ticket & indexMask] : 0;
    }

    /** @return the length of a posted buffer, or 0 for a ticket that is not outstanding. */
    synchronized int lengthOf(int ticket) {
        return current(ticket) ? lengths[ticket & indexMask] : 0;
    }

    /**
     * @param ticket a ticket from a completion.
     * @return {@code false} if it is not outstanding (already reported, or of an earlier use of the slot), so its
     *     completion must be dropped.
     */
    synchronized boolean release(int ticket) {
        if (!current(ticket)) {
            return false;
        }
        free(ticket & indexMask);
        return true;
    }

    private boolean current(int ticket) {
        int index = ticket & indexMask;
        return index < capacity && outstanding[index] && (ticket >>> indexBits) == generationBits(generations[index]);
    }

    /** Keeps tickets non-negative, so -1 never names a buffer. */
    private int generationBits(int generation) {
        return generation & (int) ((1L << (31 - indexBits)) - 1);
    }

    private void free(int index) {
        outstanding[index] = false;
        generations[index] = generationBits(generations[index] + 1);
        free[freeCount++] = index;
    }

    /** @return how many buffers are posted and not yet reported. */
    synchronized int posted() {
        return capacity - freeCount;
    }

    /**
     * Reports every outstanding buffer {@link CompletionStatus#FLUSHED} and frees its slot; completions the NIC
     * produces for them afterwards are dropped.
     *
     * @param target where the completions go; {@code null} drops them (nobody can poll them).
     */
    synchronized void flushAll(RdmaCompletionQueue target) {
        for (int i = 0; i < capacity; i++) {
            if (outstanding[i]) {
                if (target != null) {
                    target.addSynthetic(wrIds[i], Opcode.RECV, CompletionStatus.FLUSHED, 0);
                }
                free(i);
            }
        }
    }
}
