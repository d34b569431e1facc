package org.rdmabus.verbs;

/**
 * What initiators and reliable queue pairs share: a send queue, an error state and a way out of it.
 * <p>
 * A queue pair is not thread-safe for posting: one thread posts at a time. The pool serializes access.
 */
public interface QueuePair extends AutoCloseable {

    /** @return the current state. */
    QueuePairState state();

    /**
     * Brings a queue pair in {@link QueuePairState#ERROR} back to {@link QueuePairState#READY}. Requests that
     * were still queued complete with {@link CompletionStatus#FLUSHED} before this returns.
     */
    void reset();

    /** @return how many more work requests can be posted before {@code post} returns {@code false}. */
    int sendQueueSpace();

    /** Destroys the queue pair; queued requests complete with {@link CompletionStatus#FLUSHED}. Idempotent. */
    @Override
    void close();
}
