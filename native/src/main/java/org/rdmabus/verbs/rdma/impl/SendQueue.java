package org.rdmabus.verbs.rdma.impl;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.rdmabus.verbs.Opcode;

/**
 * Tracks one queue pair's outstanding send requests: their caller ids and opcodes by sequence number, and how
 * many are still on the NIC, so {@code sendQueueSpace} is exact even with unsignalled requests.
 * <p>
 * One thread posts ({@link #reserve}, {@link #commit}, {@link #claimOutstanding}); one thread polls
 * ({@link #claim}). Both claim completed ranges with a CAS on {@link #completed()}, so a request completes
 * exactly once even when a reset reports it before its flushed completion arrives from the NIC. A completion
 * implies that every earlier request on the queue pair finished too (reliable transports complete in order).
 */
final class SendQueue {
    private static final long HALF_RANGE = 1L << 47;
    private final int depth;
    private final int mask;
    private final AtomicLongArray wrIds;
    private final byte[] opcodes;
    private final int[] lengths;
    private final AtomicLong completed = new AtomicLong();
    private long posted;
    private int unsignalledRun;

    /** @param depth the most requests outstanding at once. */
    SendQueue(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("send queue depth must be positive: " + depth);
        }
        this.depth = depth;
        int capacity = Integer.highestOneBit(depth - 1 == 0 ? 1 : depth - 1) << 1;
        this.mask = capacity - 1;
        this.wrIds = new AtomicLongArray(capacity);
        this.opcodes = new byte[capacity];
        this.lengths = new int[capacity];
    }

    /** @return the most requests outstanding at once. */
    int depth() {
        return depth;
    }

    /** @return how many more requests fit. */
    int space() {
        return depth - (int) (posted - completed.get());
    }

    /** @return the sequence number of the last posted request; posting thread only. */
    long posted() {
        return posted;
    }

    /** @return the sequence number of the last completed request. */
    long completed() {
        return completed.get();
    }

    /**
     * Records a request before it is posted. Does not make it outstanding until {@link #commit}.
     *
     * @param wrId   the caller's id.
     * @param opcode the operation.
     * @param length the request's byte count, reported in its completion.
     * @return its sequence number.
     */
    long reserve(long wrId, Opcode opcode, int length) {
        long sequence = posted + 1;
        int index = (int) (sequence & mask);
        opcodes[index] = (byte) opcode.ordinal();
        lengths[index] = length;
        wrIds.lazySet(index, wrId);
        return sequence;
    }

    /** @param sequence a reserved sequence number, now posted. */
    void commit(long sequence) {
        posted = sequence;
    }

    /**
     * @param signalled whether the caller asked for a completion.
     * @return whether to signal anyway: every half queue of unsignalled requests gets one signalled request, or
     *     the queue would never learn that they finished.
     */
    boolean mustSignal(boolean signalled) {
        if (signalled) {
            unsignalledRun = 0;
            return false;
        }
        if (++unsignalledRun >= Math.max(1, depth / 2)) {
            unsignalledRun = 0;
            return true;
        }
        return false;
    }

    /**
     * @param sequence48 the 48-bit sequence number from a work-request id.
     * @return the full sequence number, near the last completed one.
     */
    long expand(long sequence48) {
        long base = completed.get();
        long candidate = (base & ~WorkRequestIds.SEQUENCE_MASK) | sequence48;
        if (candidate < base - HALF_RANGE) {
            candidate += WorkRequestIds.SEQUENCE_MASK + 1;
        } else if (candidate > base + HALF_RANGE) {
            candidate -= WorkRequestIds.SEQUENCE_MASK + 1;
        }
        return candidate;
    }

    /**
     * Reads a recorded caller id. Read before {@link #claim}: afterwards the slot may be reused.
     *
     * @param sequence an outstanding sequence number.
     * @return the caller's id.
     */
    long wrId(long sequence) {
        return wrIds.get((int) (sequence & mask));
    }

    /**
     * @param sequence an outstanding sequence number.
     * @return the operation.
     */
    Opcode opcode(long sequence) {
        int index = (int) (sequence & mask);
        wrIds.get(index);
        return Opcode.ofOrdinal(opcodes[index]);
    }

    /**
     * @param sequence an outstanding sequence number.
     * @return the request's byte count.
     */
    int length(long sequence) {
        int index = (int) (sequence & mask);
        wrIds.get(index);
        return lengths[index];
    }

    /**
     * Completes every request up to {@code sequence}.
     *
     * @param sequence the sequence number of a completion.
     * @return {@code false} if it was already completed (by a reset), so the completion must be dropped.
     */
    boolean claim(long sequence) {
        while (true) {
            long current = completed.get();
            if (sequence <= current) {
                return false;
            }
            if (completed.compareAndSet(current, sequence)) {
                return true;
            }
        }
    }

    /**
     * Completes every outstanding request at once, for a reset or close. Posting thread only.
     *
     * @param sink receives each claimed request's id and opcode, oldest first.
     */
    void claimOutstanding(Sink sink) {
        while (true) {
            long current = completed.get();
            long last = posted;
            if (last <= current) {
                return;
            }
            int count = (int) (last - current);
            long[] ids = new long[count];
            Opcode[] ops = new Opcode[count];
            int[] bytes = new int[count];
            for (int i = 0; i < count; i++) {
                ids[i] = wrId(current + 1 + i);
                ops[i] = opcode(current + 1 + i);
                bytes[i] = length(current + 1 + i);
            }
            if (completed.compareAndSet(current, last)) {
                for (int i = 0; i < count; i++) {
                    sink.accept(ids[i], ops[i], bytes[i]);
                }
                return;
            }
        }
    }

    /** Receives requests claimed by {@link #claimOutstanding}. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param wrId   the caller's id.
         * @param opcode the operation.
         * @param length the request's byte count.
         */
        void accept(long wrId, Opcode opcode, int length);
    }
}
