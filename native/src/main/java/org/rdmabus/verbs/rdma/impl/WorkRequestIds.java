package org.rdmabus.verbs.rdma.impl;

/**
 * The 64-bit ids this provider gives the NIC instead of the caller's, so that every completion leads back to
 * its queue pair or shared receive queue, and from there to the caller's id, without a map lookup.
 * <pre>
 *  send:    0 | silent (1) | queue pair slot (14) | sequence number (48)
 *  receive: 1 | receive queue slot (15)           | 0 (16) | buffer slot (32)
 * </pre>
 * "Silent" marks a request the caller posted unsignalled that the provider signalled anyway to learn that
 * the send queue drained; its successful completion is not reported.
 */
public final class WorkRequestIds {
    /** Queue pairs one NIC can track: the slot field's range. */
    public static final int MAX_QUEUE_PAIRS = 1 << 14;
    /** Shared receive queues one NIC can track. */
    public static final int MAX_RECEIVE_QUEUES = 1 << 15;
    /** Sequence numbers wrap after this many sends on one queue pair (2^48: years at line rate). */
    public static final long SEQUENCE_MASK = (1L << 48) - 1;

    private static final long RECEIVE_BIT = 1L << 63;
    private static final long SILENT_BIT = 1L << 62;

    private WorkRequestIds() {
    }

    /**
     * @param slot     the queue pair's slot.
     * @param sequence the request's sequence number on it.
     * @param silent   whether a successful completion must not be reported.
     * @return the id to post.
     */
    public static long send(int slot, long sequence, boolean silent) {
        return ((long) slot << 48) | (sequence & SEQUENCE_MASK) | (silent ? SILENT_BIT : 0);
    }

    /**
     * @param queueSlot  the shared receive queue's slot.
     * @param bufferSlot the buffer's slot in that queue.
     * @return the id to post.
     */
    public static long receive(int queueSlot, int bufferSlot) {
        return RECEIVE_BIT | ((long) queueSlot << 48) | (bufferSlot & 0xFFFFFFFFL);
    }

    /**
     * @param id an id from a completion.
     * @return whether it belongs to a receive.
     */
    public static boolean isReceive(long id) {
        return id < 0;
    }

    /**
     * @param id a send id.
     * @return whether its success is not reported.
     */
    public static boolean isSilent(long id) {
        return (id & SILENT_BIT) != 0;
    }

    /**
     * @param id a send id.
     * @return the queue pair slot.
     */
    public static int queuePairSlot(long id) {
        return (int) ((id >>> 48) & (MAX_QUEUE_PAIRS - 1));
    }

    /**
     * @param id a send id.
     * @return the sequence number.
     */
    public static long sequence(long id) {
        return id & SEQUENCE_MASK;
    }

    /**
     * @param id a receive id.
     * @return the shared receive queue slot.
     */
    public static int receiveQueueSlot(long id) {
        return (int) ((id >>> 48) & (MAX_RECEIVE_QUEUES - 1));
    }

    /**
     * @param id a receive id.
     * @return the buffer slot.
     */
    public static int bufferSlot(long id) {
        return (int) id;
    }
}
