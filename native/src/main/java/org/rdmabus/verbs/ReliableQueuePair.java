package org.rdmabus.verbs;

/**
 * A Reliable Connected (RC) queue pair: bound to one peer, in order, with its receives taken from a
 * {@link SharedReceiveQueue}. The pool uses it for hot peers and on devices without DC.
 * <p>
 * Connecting takes an exchange: each side sends its {@link #localAddress()} to the other (the pool uses its
 * DC channel or the cluster) and calls {@link #connect(TargetAddress)} with the peer's.
 */
public interface ReliableQueuePair extends QueuePair {

    /** @return this queue pair's address, to hand to the peer. */
    TargetAddress localAddress();

    /**
     * Connects to the peer queue pair. Posting before this throws {@link IllegalStateException}.
     *
     * @param remote the peer's {@link #localAddress()}.
     * @throws VerbsException if the peer cannot be reached or is not a reliable queue pair.
     */
    void connect(TargetAddress remote);

    /** @return whether {@link #connect(TargetAddress)} succeeded. */
    boolean isConnected();

    /**
     * Posts a work request to the connected peer.
     *
     * @param request what to do; may be reused at once.
     * @return {@code false} if the send queue is full.
     * @throws IllegalStateException if not connected.
     */
    boolean post(WorkRequest request);
}
