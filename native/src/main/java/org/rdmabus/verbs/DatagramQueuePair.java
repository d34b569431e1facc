package org.rdmabus.verbs;

/**
 * A datagram queue pair (verbs UD): one send queue that reaches any peer's datagram queue pair by address, with
 * its own receive queue. Unlike a {@link DcInitiator} it carries only SENDs of at most
 * {@link #maxDatagramSize()} bytes, and a send completion says only that the datagram left: it may be lost, and
 * a dead peer is never reported. The pool uses it for the first exchange with a peer on devices without DC, where
 * it is the one connectionless path the hardware has.
 * <p>
 * A datagram carries the sender's access key; one with another key is dropped by the receiver's NIC, unseen.
 * Receive buffers hold only the payload: a provider that receives routing headers (verbs' 40-byte GRH) keeps
 * them out of the caller's buffer, and {@link Completion#byteLength()} counts the payload alone.
 */
public interface DatagramQueuePair extends QueuePair {

    /** @return the address peers send to; it carries the access key, so treat it as a secret. */
    TargetAddress address();

    /** @return the largest payload one datagram may carry (the path's MTU on a real NIC). */
    int maxDatagramSize();

    /**
     * Posts a SEND to a peer's datagram queue pair.
     *
     * @param target  the peer's {@link #address()}, usually from the cluster directory, with the access key.
     * @param request a SEND (inline or from a region) of at most {@link #maxDatagramSize()} bytes; copied.
     * @return {@code false} if the send queue is full (nothing was posted).
     * @throws IllegalArgumentException if the request is not a SEND or is larger than a datagram.
     */
    boolean post(TargetAddress target, WorkRequest request);

    /**
     * Posts a receive buffer to this queue pair's own receive queue.
     *
     * @param wrId   an id returned in the receive completion.
     * @param region a region registered with {@link Access#LOCAL_WRITE}.
     * @param offset where the buffer starts in it.
     * @param length the buffer's length; datagrams longer than it are dropped.
     * @return {@code false} if the receive queue is full; nothing was posted.
     */
    boolean postReceive(long wrId, MemoryRegion region, long offset, int length);

    /** @return how many receive buffers are posted and not yet consumed. */
    int postedReceives();
}
