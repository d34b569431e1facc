package org.rdmabus.verbs.soft.impl;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.Opcode;

/**
 * One completion as a message in a completion queue's {@link ManyToOneRingBuffer}. Senders in other processes
 * write receive completions into the target's ring; the owner writes its own send completions.
 *
 * <pre>
 *   0        8          16           20          24      28     29     30
 *   +--------+----------+------------+-----------+-------+------+------+--------+
 *   | wrId   | srqSeq   | byteLength | immediate | srqId | op   | stat | hasImm |
 *   +--------+----------+------------+-----------+-------+------+------+--------+
 * </pre>
 * {@code srqId} and {@code srqSeq} name the receive descriptor a receive completion consumed, so the owner can
 * reuse that descriptor once it has polled the completion; {@code srqId} is 0 for send completions.
 */
final class CompletionRecord {
    /** The ring message type of a completion. */
    public static final int MESSAGE_TYPE = 1;
    /** A record's length in bytes. */
    public static final int LENGTH = 32;
    static final int WR_ID = 0;
    static final int SRQ_SEQ = 8;
    static final int BYTE_LENGTH = 16;
    static final int IMMEDIATE = 20;
    static final int SRQ_ID = 24;
    static final int OPCODE = 28;
    static final int STATUS = 29;
    static final int HAS_IMMEDIATE = 30;

    private CompletionRecord() {
    }

    /**
     * @param capacity completions the ring must hold.
     * @return the ring's file length: a power-of-two data area plus Agrona's trailer.
     */
    public static int ringFileLength(int capacity) {
        int perRecord = BitUtil.align(LENGTH + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
        // Agrona caps a message at an eighth of the ring, so even a tiny queue needs room for eight records.
        int data = BitUtil.findNextPositivePowerOfTwo(Math.max(capacity, 8) * perRecord);
        return Math.max(data, ManyToOneRingBuffer.MIN_CAPACITY) + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Writes a completion into a ring without allocating.
     *
     * @return whether it fitted; {@code false} when the ring is full.
     */
    static boolean offer(RingBuffer ring, long wrId, Opcode opcode, CompletionStatus status, int byteLength,
                         int immediate, boolean hasImmediate, int srqId, long srqSeq) {
        int index = ring.tryClaim(MESSAGE_TYPE, LENGTH);
        if (index < 0) {
            return false;
        }
        fill(ring.buffer(), index, wrId, opcode, status, byteLength, immediate, hasImmediate, srqId, srqSeq);
        ring.commit(index);
        return true;
    }

    static void fill(AtomicBuffer buffer, int index, long wrId, Opcode opcode, CompletionStatus status,
                     int byteLength, int immediate, boolean hasImmediate, int srqId, long srqSeq) {
        buffer.putLong(index + WR_ID, wrId);
        buffer.putLong(index + SRQ_SEQ, srqSeq);
        buffer.putInt(index + BYTE_LENGTH, byteLength);
        buffer.putInt(index + IMMEDIATE, immediate);
        buffer.putInt(index + SRQ_ID, srqId);
        buffer.putByte(index + OPCODE, (byte) opcode.ordinal());
        buffer.putByte(index + STATUS, (byte) status.ordinal());
        buffer.putByte(index + HAS_IMMEDIATE, (byte) (hasImmediate ? 1 : 0));
    }

    static void read(MutableDirectBuffer buffer, int index, Completion into) {
        into.set(buffer.getLong(index + WR_ID), Opcode.ofOrdinal(buffer.getByte(index + OPCODE)),
            CompletionStatus.ofOrdinal(buffer.getByte(index + STATUS)), buffer.getInt(index + BYTE_LENGTH),
            buffer.getInt(index + IMMEDIATE), buffer.getByte(index + HAS_IMMEDIATE) != 0);
    }

    static int srqId(MutableDirectBuffer buffer, int index) {
        return buffer.getInt(index + SRQ_ID);
    }

    static long srqSeq(MutableDirectBuffer buffer, int index) {
        return buffer.getLong(index + SRQ_SEQ);
    }
}
