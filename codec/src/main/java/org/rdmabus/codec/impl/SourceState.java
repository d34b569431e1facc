package org.rdmabus.codec.impl;

import org.rdmabus.codec.FrameType;

/**
 * Reassembly state for one source node: its current epoch, the highest message id it has begun, and a fixed
 * number of slots for partial messages. Objects are reused when a source is evicted, so a steady stream of
 * segments allocates only the message buffers themselves.
 */
public final class SourceState {
    private final PartialMessage[] partials;
    long mostSignificantBits;
    long leastSignificantBits;
    SourceState nextInBucket;
    int slot;
    private long epoch;
    private boolean begunAny;
    private long highestBegunMessageId;
    private int partialCount;

    SourceState(int maxPartials) {
        partials = new PartialMessage[maxPartials];
        for (int i = 0; i < maxPartials; i++) {
            partials[i] = new PartialMessage();
        }
    }

    void reset(long msb, long lsb, long newEpoch) {
        mostSignificantBits = msb;
        leastSignificantBits = lsb;
        nextInBucket = null;
        restart(newEpoch);
    }

    /**
     * Forgets the source's history for a new incarnation; the caller must have discarded its partial messages.
     *
     * @param newEpoch the new incarnation.
     */
    public void restart(long newEpoch) {
        epoch = newEpoch;
        begunAny = false;
        highestBegunMessageId = 0;
    }

    /** @return the source's incarnation as last seen. */
    public long epoch() {
        return epoch;
    }

    /**
     * @param messageId a message id.
     * @return whether a message with this id or a higher one has begun in this epoch.
     */
    public boolean hasBegunAtLeast(long messageId) {
        return begunAny && messageId <= highestBegunMessageId;
    }

    /** @return the highest message id begun in this epoch (meaningful once one has). */
    public long highestBegunMessageId() {
        return highestBegunMessageId;
    }

    /** @return how many messages are partially reassembled. */
    public int partialCount() {
        return partialCount;
    }

    /** @return how many partial messages this source may hold. */
    public int partialCapacity() {
        return partials.length;
    }

    /**
     * @param index 0 to {@link #partialCount()} - 1.
     * @return the partial message at that index.
     */
    public PartialMessage partial(int index) {
        return partials[index];
    }

    /**
     * @param messageId a message id.
     * @return its partial message, or {@code null}.
     */
    public PartialMessage find(long messageId) {
        for (int i = 0; i < partialCount; i++) {
            if (partials[i].messageId == messageId) {
                return partials[i];
            }
        }
        return null;
    }

    /**
     * Begins a message; the caller has checked the slot count and the memory budget.
     *
     * @param messageId   its id, higher than every id begun before in this epoch.
     * @param type        MESSAGE or REPLY.
     * @param totalLength its length: the one allocation reassembly makes for it.
     * @return its partial message.
     */
    public PartialMessage begin(long messageId, FrameType type, int totalLength) {
        PartialMessage partial = partials[partialCount++];
        partial.messageId = messageId;
        partial.type = type;
        partial.data = new byte[totalLength];
        partial.received = 0;
        begunAny = true;
        highestBegunMessageId = messageId;
        return partial;
    }

    /**
     * Forgets a partial message, completed or discarded, and lets go of its buffer.
     *
     * @param partial one of this source's partial messages.
     */
    public void remove(PartialMessage partial) {
        for (int i = 0; i < partialCount; i++) {
            if (partials[i] == partial) {
                partialCount--;
                partials[i] = partials[partialCount];
                partials[partialCount] = partial;
                partial.data = null;
                partial.type = null;
                return;
            }
        }
        throw new IllegalStateException("not a partial message of this source");
    }
}
