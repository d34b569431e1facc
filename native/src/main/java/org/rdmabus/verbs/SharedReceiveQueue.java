package org.rdmabus.verbs;

/**
 * Receive buffers shared by every sender of a {@link DcTarget} or {@link ReliableQueuePair}. Each SEND or
 * WRITE_WITH_IMM consumes one posted buffer and produces one receive completion carrying its {@code wrId}.
 * <p>
 * A buffer whose transfer was cut short because the sender died part-way (possible on the soft fabric, where the
 * sender's process does the copy) completes with {@link CompletionStatus#RETRY_EXCEEDED} once the peer timeout has
 * passed; its contents mean nothing, and it is the owner's to post again.
 */
public interface SharedReceiveQueue extends AutoCloseable {

    /**
     * Posts a receive buffer.
     *
     * @param wrId   an id returned in the receive completion.
     * @param region a region registered with {@link Access#LOCAL_WRITE}.
     * @param offset where the buffer starts in it.
     * @param length the buffer's length; a larger SEND fails with {@link CompletionStatus#LOCAL_LENGTH}.
     * @return {@code false} if the queue is full; nothing was posted.
     */
    boolean postReceive(long wrId, MemoryRegion region, long offset, int length);

    /** @return how many buffers are posted and not yet consumed. */
    int posted();

    /** @return the most buffers that can be posted at once. */
    int capacity();

    /** Destroys the queue; posted buffers complete with {@link CompletionStatus#FLUSHED}. Idempotent. */
    @Override
    void close();
}
