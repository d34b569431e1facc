package org.rdmabus.codec;

/** How a message of a given size travels; {@link CodecLimits#strategyFor(int)} chooses. */
public enum PayloadStrategy {
    /** In the payload of one MESSAGE or REPLY frame. */
    SINGLE_FRAME,
    /** In several segment frames, reassembled by the receiver's {@link Reassembler}. */
    SEGMENTED,
    /** As a rendezvous descriptor: the receiver READs the message from the sender's registered memory. */
    RENDEZVOUS
}
