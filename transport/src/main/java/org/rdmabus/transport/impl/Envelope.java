package org.rdmabus.transport.impl;

/**
 * The one-byte envelope that lets the event bus and {@code RdmaChannel} share a node's warm pool: the first byte of
 * every whole MESSAGE payload names the protocol that owns the rest of it. Segments carry none: only the event bus
 * segments, so the segment flag names the protocol, and the reassembled message is exactly the event bus's bytes,
 * bounded by {@code maxMessageSize} as the user set it.
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
