package org.rdmabus.verbs;

/**
 * Where completions of send and receive work requests appear. One thread polls a queue at a time.
 */
public interface CompletionQueue extends AutoCloseable {

    /**
     * Takes up to {@code out.length} completions, filling the caller's reusable array in order.
     * Never blocks and never allocates.
     *
     * @param out completions to overwrite, from {@link Completion#array(int)}.
     * @return how many entries of {@code out} were filled, from 0 to {@code out.length}.
     */
    int poll(Completion[] out);

    /** @return the most completions this queue holds before producers must wait. */
    int capacity();

    /** Destroys the queue. Idempotent. */
    @Override
    void close();
}
