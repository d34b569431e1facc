package org.rdmabus.verbs.soft.impl;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The control segment of one soft NIC: a header that tells peers whether the NIC is alive, a table of
 * targets (DC targets and reliable queue pairs) and a table of registered regions. The owner writes it;
 * peers map it and read it with volatile loads.
 *
 * <pre>
 *   0                   64                  128
 *   +-------------------+-------------------+------------------------+------------------------+
 *   | header            | heartbeat (own    | targets                | regions                |
 *   |                   | cache line)       | MAX_TARGETS x 32 bytes | MAX_REGIONS x 32 bytes |
 *   +-------------------+-------------------+------------------------+------------------------+
 *
 *   header:  magic(8) version(4) state(4) pid(8) startEpochMillis(8) heartbeatIntervalNanos(8)
 *   target:  number(4) kind(4) accessKey(8) srqId(4) cqId(4) lookDead(4) injectedStatus(4)
 *   region:  rkey(4) access(4) length(4) unused(4) baseAddress(8) unused(8)
 * </pre>
 * A table entry is free when its number (or rkey) is 0. The owner publishes an entry by writing its fields and
 * then its number with an ordered store, and retires it by zeroing the number first, so a reader that sees the
 * same number before and after reading the fields saw a consistent entry.
 */
final class NicSegment {
    /** "RDMABUS1" in ASCII. */
    public static final long MAGIC = 0x3153_5542_414D_4452L;
    /** The layout version. */
    public static final int VERSION = 1;
    /** The header's state value while the NIC is open. */
    public static final int STATE_OPEN = 1;
    /** The header's state value once the NIC is closed. */
    public static final int STATE_CLOSED = 2;
    /** Target kind of a DC target. */
    public static final int KIND_DC_TARGET = 1;
    /** Target kind of a reliable queue pair. */
    public static final int KIND_RELIABLE = 2;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int STATE_OFFSET = 12;
    static final int PID_OFFSET = 16;
    static final int START_OFFSET = 24;
    static final int HEARTBEAT_INTERVAL_OFFSET = 32;
    static final int HEARTBEAT_OFFSET = 64;
    static final int HEADER_LENGTH = 128;

    static final int ENTRY_LENGTH = 32;
    static final int TARGET_NUMBER = 0;
    static final int TARGET_KIND = 4;
    static final int TARGET_ACCESS_KEY = 8;
    static final int TARGET_SRQ_ID = 16;
    static final int TARGET_CQ_ID = 20;
    static final int TARGET_LOOK_DEAD = 24;
    static final int TARGET_INJECTED_STATUS = 28;

    static final int REGION_RKEY = 0;
    static final int REGION_ACCESS = 4;
    static final int REGION_LENGTH = 8;
    static final int REGION_BASE = 16;

    static final int TARGETS_OFFSET = HEADER_LENGTH;
    static final int REGIONS_OFFSET = TARGETS_OFFSET + ResourceIds.MAX_SLOTS * ENTRY_LENGTH;
    /** The segment's length in bytes. */
    public static final int LENGTH = BitUtil.align(REGIONS_OFFSET + ResourceIds.MAX_SLOTS * ENTRY_LENGTH, 4096);

    private final AtomicBuffer buffer;

    /** @param buffer the mapped control segment, at least {@link #LENGTH} bytes. */
    public NicSegment(AtomicBuffer buffer) {
        if (buffer.capacity() < LENGTH) {
            throw new IllegalArgumentException("control segment of " + buffer.capacity() + " bytes, need " + LENGTH);
        }
        this.buffer = buffer;
    }

    /**
     * Writes a fresh header; the NIC is visible as open and alive afterwards.
     *
     * @param self                   this process.
     * @param heartbeatIntervalNanos how often the heartbeat advances.
     * @param now                    {@link System#nanoTime()}.
     */
    public void initialise(ProcessIdentity self, long heartbeatIntervalNanos, long now) {
        buffer.putLong(PID_OFFSET, self.pid());
        buffer.putLong(START_OFFSET, self.startEpochMillis());
        buffer.putLong(HEARTBEAT_INTERVAL_OFFSET, heartbeatIntervalNanos);
        buffer.putLong(HEARTBEAT_OFFSET, now);
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putIntOrdered(STATE_OFFSET, STATE_OPEN);
        buffer.putLongOrdered(MAGIC_OFFSET, MAGIC);
    }

    /** @return whether the header carries this layout's magic and version. */
    public boolean isValid() {
        return buffer.getLongVolatile(MAGIC_OFFSET) == MAGIC && buffer.getInt(VERSION_OFFSET) == VERSION;
    }

    /** @return the owner process. */
    public ProcessIdentity owner() {
        return new ProcessIdentity(buffer.getLong(PID_OFFSET), buffer.getLong(START_OFFSET));
    }

    /** @return the owner's heartbeat period in nanoseconds. */
    public long heartbeatIntervalNanos() {
        return buffer.getLong(HEARTBEAT_INTERVAL_OFFSET);
    }

    /** @return {@link #STATE_OPEN} or {@link #STATE_CLOSED}. */
    public int state() {
        return buffer.getIntVolatile(STATE_OFFSET);
    }

    /** Tells peers the NIC is gone. */
    public void markClosed() {
        buffer.putIntVolatile(STATE_OFFSET, STATE_CLOSED);
    }

    /** @return the owner's last heartbeat, in {@link System#nanoTime()} units (CLOCK_MONOTONIC on Linux). */
    public long heartbeat() {
        return buffer.getLongVolatile(HEARTBEAT_OFFSET);
    }

    /** @param now the current {@link System#nanoTime()}. */
    public void beat(long now) {
        buffer.putLongOrdered(HEARTBEAT_OFFSET, now);
    }

    // Targets

    /**
     * Publishes a target entry.
     *
     * @param number    the target number; its low bits are the slot.
     * @param kind      {@link #KIND_DC_TARGET} or {@link #KIND_RELIABLE}.
     * @param accessKey the key initiators must present.
     * @param srqId     the shared receive queue's id.
     * @param cqId      the receive completion queue's id.
     */
    public void publishTarget(int number, int kind, long accessKey, int srqId, int cqId) {
        int at = targetOffset(number);
        buffer.putIntVolatile(at + TARGET_NUMBER, 0);
        buffer.putInt(at + TARGET_KIND, kind);
        buffer.putLongVolatile(at + TARGET_ACCESS_KEY, accessKey);
        buffer.putIntVolatile(at + TARGET_SRQ_ID, srqId);
        buffer.putIntVolatile(at + TARGET_CQ_ID, cqId);
        buffer.putIntVolatile(at + TARGET_LOOK_DEAD, 0);
        buffer.putIntVolatile(at + TARGET_INJECTED_STATUS, 0);
        buffer.putIntVolatile(at + TARGET_NUMBER, number);
    }

    /** @param number a published target's number; its entry is freed. */
    public void retireTarget(int number) {
        buffer.compareAndSetInt(targetOffset(number) + TARGET_NUMBER, number, 0);
    }

    /**
     * @param number a target number.
     * @return whether that target is published.
     */
    public boolean hasTarget(int number) {
        return number != 0 && buffer.getIntVolatile(targetOffset(number) + TARGET_NUMBER) == number;
    }

    /**
     * @param number a target number.
     * @return the target's kind; valid only while {@link #hasTarget(int)}.
     */
    public int targetKind(int number) {
        return buffer.getIntVolatile(targetOffset(number) + TARGET_KIND);
    }

    /**
     * @param number a target number.
     * @return the target's access key; valid only while {@link #hasTarget(int)}.
     */
    public long targetAccessKey(int number) {
        return buffer.getLongVolatile(targetOffset(number) + TARGET_ACCESS_KEY);
    }

    /**
     * @param number a target number.
     * @return the target's shared receive queue id; valid only while {@link #hasTarget(int)}.
     */
    public int targetSrqId(int number) {
        return buffer.getIntVolatile(targetOffset(number) + TARGET_SRQ_ID);
    }

    /**
     * @param number a target number.
     * @return the target's receive completion queue id; valid only while {@link #hasTarget(int)}.
     */
    public int targetCqId(int number) {
        return buffer.getIntVolatile(targetOffset(number) + TARGET_CQ_ID);
    }

    /**
     * @param number a target number.
     * @return whether a fault injection makes the target look dead.
     */
    public boolean targetLooksDead(int number) {
        return buffer.getIntVolatile(targetOffset(number) + TARGET_LOOK_DEAD) != 0;
    }

    /**
     * @param number a target number.
     * @param dead   whether it should look dead to every initiator.
     */
    public void targetLooksDead(int number, boolean dead) {
        buffer.putIntVolatile(targetOffset(number) + TARGET_LOOK_DEAD, dead ? 1 : 0);
    }

    /**
     * @param number  a target number.
     * @param ordinal a {@link org.rdmabus.verbs.CompletionStatus} ordinal the next post to it fails with.
     */
    public void injectTargetFailure(int number, int ordinal) {
        buffer.putIntVolatile(targetOffset(number) + TARGET_INJECTED_STATUS, ordinal + 1);
    }

    /**
     * Consumes an injected failure, so exactly one initiator sees it.
     *
     * @param number a target number.
     * @return the injected status ordinal, or -1.
     */
    public int takeTargetFailure(int number) {
        int at = targetOffset(number) + TARGET_INJECTED_STATUS;
        int value = buffer.getIntVolatile(at);
        return value != 0 && buffer.compareAndSetInt(at, value, 0) ? value - 1 : -1;
    }

    // Regions

    /**
     * Publishes a region entry.
     *
     * @param rkey        the region's key; its low bits are the slot.
     * @param accessBits  the {@link org.rdmabus.verbs.Access} bit set.
     * @param length      the region's length.
     * @param baseAddress the remote address of its first byte.
     */
    public void publishRegion(int rkey, int accessBits, int length, long baseAddress) {
        int at = regionOffset(rkey);
        buffer.putIntVolatile(at + REGION_RKEY, 0);
        buffer.putIntVolatile(at + REGION_ACCESS, accessBits);
        buffer.putIntVolatile(at + REGION_LENGTH, length);
        buffer.putLongVolatile(at + REGION_BASE, baseAddress);
        buffer.putIntVolatile(at + REGION_RKEY, rkey);
    }

    /** @param rkey a published region's key; its entry is freed. */
    public void retireRegion(int rkey) {
        buffer.compareAndSetInt(regionOffset(rkey) + REGION_RKEY, rkey, 0);
    }

    /**
     * @param rkey a region key.
     * @return whether that region is registered.
     */
    public boolean hasRegion(int rkey) {
        return rkey != 0 && buffer.getIntVolatile(regionOffset(rkey) + REGION_RKEY) == rkey;
    }

    /**
     * @param rkey a region key.
     * @return its access bits; valid only while {@link #hasRegion(int)}.
     */
    public int regionAccess(int rkey) {
        return buffer.getIntVolatile(regionOffset(rkey) + REGION_ACCESS);
    }

    /**
     * @param rkey a region key.
     * @return its length; valid only while {@link #hasRegion(int)}.
     */
    public int regionLength(int rkey) {
        return buffer.getIntVolatile(regionOffset(rkey) + REGION_LENGTH);
    }

    /**
     * @param rkey a region key.
     * @return the remote address of its first byte; valid only while {@link #hasRegion(int)}.
     */
    public long regionBase(int rkey) {
        return buffer.getLongVolatile(regionOffset(rkey) + REGION_BASE);
    }

    private static int targetOffset(int number) {
        return TARGETS_OFFSET + ResourceIds.slotOf(number) * ENTRY_LENGTH;
    }

    private static int regionOffset(int rkey) {
        return REGIONS_OFFSET + ResourceIds.slotOf(rkey) * ENTRY_LENGTH;
    }
}
