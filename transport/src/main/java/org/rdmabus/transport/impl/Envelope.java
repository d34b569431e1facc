package org.rdmabus.transport.impl;

/**
 * The one-byte envelope that lets the event bus and {@code RdmaChannel} share a node's warm pool: the first byte of
 * every MESSAGE payload names the protocol that owns the rest of it. A segmented message (only the event bus
 * segments) carries it as the first byte of the reassembled message instead, because the codec reads a segment
 * header at the start of each segment's payload.
 *
 * <pre>
 *  0               1
 * +---------------+-------------------------------------------+
 * | protocol      | the protocol's own bytes                  |
 * +---------------+-------------------------------------------+
 * </pre>
 *
 * Both nodes of a conversation must run a version that writes the envelope: a payload whose first byte is no known
 * protocol is counted and dropped, never guessed at.
 */
public final class Envelope {
    /** Bytes the envelope takes in front of a protocol's payload. */
    public static final int LENGTH = 1;
    /** Offset of the protocol byte in a MESSAGE payload. */
    public static final int PROTOCOL_OFFSET = 0;
    /** The rest is Vert.x's wire encoding of a clustered message, or one segment of it. */
    public static final byte EVENT_BUS = 0;
    /** The rest is an {@code RdmaChannel} frame. */
    public static final byte RDMA_CHANNEL = 1;

    private Envelope() {
    }
}
