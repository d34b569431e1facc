package org.rdmabus.verbs.soft.impl;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A sender's view of a peer's shared receive queue: claims posted descriptors and reads them.
 * Thread-safe: claims are compare-and-set on the shared counter.
 */
final class RemoteReceiveQueue {
    private final int id;
    private final AtomicBuffer buffer;
    private final int capacity;
    /**
     * The last {@code posted} counter read. It only grows, so a stale value is merely low: senders re-read the
     * owner's cache line only when they seem to have run out, instead of on every SEND.
     */
    private volatile long knownPosted;

    RemoteReceiveQueue(int id, MappedFile file) {
        this.id = id;
        this.buffer = file.buffer();
        int declared = buffer.getIntVolatile(ReceiveQueueLayout.CAPACITY_OFFSET);
        if (declared <= 0 || ReceiveQueueLayout.fileLength(declared) > file.length()) {
            throw new org.rdmabus.verbs.VerbsException("receive queue " + file.path() + " is malformed");
        }
        this.capacity = declared;
    }

    int id() {
        return id;
    }

    /** @return whether a receive is posted and unclaimed now; a later claim may still lose a race. */
    boolean hasPosted() {
        long claimed = buffer.getLongVolatile(ReceiveQueueLayout.CLAIMED_OFFSET);
        return claimed < knownPosted || claimed < posted();
    }

    private long posted() {
        return knownPosted = buffer.getLongVolatile(ReceiveQueueLayout.POSTED_OFFSET);
    }

    /** @return the claimed descriptor's sequence, or -1 when no receive is posted (receiver not ready). */
    long tryClaim() {
        while (true) {
            long claimed = buffer.getLongVolatile(ReceiveQueueLayout.CLAIMED_OFFSET);
            if ((claimed >= knownPosted && claimed >= posted())
                || buffer.getIntVolatile(ReceiveQueueLayout.STATE_OFFSET) != ReceiveQueueLayout.STATE_OPEN) {
                return -1;
            }
            if (buffer.compareAndSetLong(ReceiveQueueLayout.CLAIMED_OFFSET, claimed, claimed + 1)) {
                return claimed;
            }
        }
    }

    long wrId(long seq) {
        return buffer.getLong(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.WR_ID);
    }

    long offset(long seq) {
        return buffer.getLong(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.OFFSET);
    }

    int rkey(long seq) {
        return buffer.getInt(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.RKEY);
    }

    int length(long seq) {
        return buffer.getInt(ReceiveQueueLayout.descriptor(seq, capacity) + ReceiveQueueLayout.LENGTH);
    }
}
