package org.rdmabus.verbs.soft.impl;

/**
 * The layout of a shared receive queue's file: counters, then a ring of receive descriptors.
 *
 * <pre>
 *   0          4        64        128       192
 *   +----------+--------+---------+---------+-------------------------------------------+
 *   | capacity | state  | posted  | claimed | descriptors: capacity x 32 bytes          |
 *   +----------+--------+---------+---------+-------------------------------------------+
 *   descriptor: wrId(8) offset(8) rkey(4) length(4) completedSeq(8)
 * </pre>
 * The owner writes descriptor {@code posted % capacity}, then advances {@code posted} with an ordered store.
 * A sender claims descriptor {@code claimed} by a compare-and-set of {@code claimed}, copies its payload into the
 * owner's region at that descriptor and writes a receive completion naming the sequence. The owner marks the
 * descriptor free ({@code completedSeq = seq + 1}) only when it polls that completion, so no sender can still
 * be reading a descriptor the owner overwrites.
 */
final class ReceiveQueueLayout {
    static final int CAPACITY_OFFSET = 0;
    static final int STATE_OFFSET = 4;
    static final int POSTED_OFFSET = 64;
    static final int CLAIMED_OFFSET = 128;
    static final int DESCRIPTORS_OFFSET = 192;
    static final int DESCRIPTOR_LENGTH = 32;
    static final int WR_ID = 0;
    static final int OFFSET = 8;
    static final int RKEY = 16;
    static final int LENGTH = 20;
    static final int COMPLETED_SEQ = 24;
    static final int STATE_OPEN = 1;
    static final int STATE_CLOSED = 2;

    private ReceiveQueueLayout() {
    }

    static int fileLength(int capacity) {
        return DESCRIPTORS_OFFSET + capacity * DESCRIPTOR_LENGTH;
    }

    static int descriptor(long seq, int capacity) {
        return DESCRIPTORS_OFFSET + (int) (seq % capacity) * DESCRIPTOR_LENGTH;
    }
}
