package org.rdmabus.codec;

/**
 * The wire layout of an rdmabus frame, version {@value #VERSION}: offsets, lengths and flags as named constants.
 * <p>
 * Every multi-byte field is little-endian. A frame is one fixed header followed by a type-specific payload, and
 * one frame fills exactly one receive buffer: the received length must equal {@link #HEADER_LENGTH} plus the
 * payload length, so the decoder can check the two against each other.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic 'R' 'B' 'U' 'S' (32)                    |  0
 *  +---------------------------------------------------------------+
 *  |        Checksum: CRC32C of bytes 8..end, or zero (32)         |  4
 *  +---------------+---------------+-------------------------------+
 *  |  Version (8)  |   Type (8)    |           Flags (16)          |  8
 *  +---------------+---------------+-------------------------------+
 *  |                    Payload Length (32)                        | 12
 *  +---------------------------------------------------------------+
 *  |                    Returned Credits (32)                      | 16
 *  +---------------------------------------------------------------+
 *  |                     Reserved, zero (32)                       | 20
 *  +---------------------------------------------------------------+
 *  |          Source Node Id, most significant bits (64)           | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Source Node Id, least significant bits (64)          | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Source Epoch (incarnation) (64)               | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        Sequence, per (source, destination) pair (64)          | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Payload                             ...  56
 *  ...                                                             |
 *  +---------------------------------------------------------------+
 * </pre>
 * The checksum starts after itself so that it can cover the version, type and flags; the magic ahead of it is
 * checked exactly instead. A checksum is present only with {@link #FLAG_CHECKSUM}: shared memory and RDMA have
 * their own integrity, so it is off by default and the field must then be zero.
 * <p>
 * <b>Payloads by type and flags.</b>
 * <ul>
 *   <li>{@link FrameType#MESSAGE} and {@link FrameType#REPLY}, no flag: the whole payload is one event-bus message,
 *   opaque to the codec (Vert.x's {@code ClusteredMessage} wire form).</li>
 *   <li>MESSAGE or REPLY with {@link #FLAG_SEGMENT}: a segment header, then the segment's bytes.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                      Message Id (64)                          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Total Message Length (32)                       |  8
 *  +---------------------------------------------------------------+
 *  |            Offset of this segment in the message (32)         | 12
 *  +---------------------------------------------------------------+
 *  |                       Segment bytes                          ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 *   The first segment is the one at offset 0 and the last the one that ends at the total length; no separate
 *   FIRST/LAST flags are needed, and offsets let the reassembler tell a gap from an overlap exactly.</li>
 *   <li>MESSAGE or REPLY with {@link #FLAG_RENDEZVOUS}: a descriptor of the message in the sender's registered
 *   memory, which the receiver fetches with an RDMA READ. The payload is exactly this:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Remote Address (64)                           |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Message Length (32)                           |  8
 *  +---------------------------------------------------------------+
 *  |                 Remote Key (32)                               | 12
 *  +---------------------------------------------------------------+
 * </pre></li>
 *   <li>{@link FrameType#CREDIT}, no flag: no payload; the credits travel in the header. With
 *   {@link #FLAG_RENDEZVOUS_DONE}: the payload is the 64-bit sequence of the rendezvous frame whose READ has
 *   completed, so the sender may release that memory.</li>
 *   <li>{@link FrameType#HELLO}:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |         Largest message the sender accepts (32)               |  0
 *  +---------------------------------------------------------------+
 *  |         Largest frame the sender can receive (32)             |  4
 *  +-------------------------------+-------------------------------+
 *  |     Node Id Length (16)       |       Reserved, zero (16)     |  8
 *  +-------------------------------+-------------------------------+
 *  |            Node Id, UTF-8, 1..256 bytes                      ... 12
 *  +---------------------------------------------------------------+
 * </pre>
 *   With {@link #FLAG_CHANNEL} the HELLO also carries one step of the handshake that gives a hot peer a dedicated
 *   reliable queue pair (the pool defines the steps); right after the node id:
 * <pre>
 *  +---------------+---------------+-------------------------------+
 *  |   Step (8)    | Reserved (8)  |  Queue Pair Address Length (16)|  0
 *  +---------------+---------------+-------------------------------+
 *  |       Queue pair address, 0..1100 bytes (the NIC layer's     ...  4
 *  |       binary TargetAddress form)                              |
 *  +---------------------------------------------------------------+
 * </pre>
 *   The step is 1..255; offsets are relative to the end of the node id.</li>
 *   <li>{@link FrameType#BYE}: no payload.</li>
 *   <li>{@link FrameType#ERROR}:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                     Error Code (32)                           |  0
 *  +-------------------------------+-------------------------------+
 *  |     Reason Length (16)        |       Reserved, zero (16)     |  4
 *  +-------------------------------+-------------------------------+
 *  |          Sequence of the frame it answers, or 0 (64)          |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Reason, UTF-8, 0..256 bytes                      ... 16
 *  +---------------------------------------------------------------+
 * </pre></li>
 * </ul>
 * Any flag bit not listed for a type, and any non-zero reserved field, makes the frame invalid: a future version
 * changes {@link #VERSION} rather than reusing them silently.
 */
public final class FrameLayout {
    /** The magic, the ASCII bytes {@code R B U S} read as a little-endian int. */
    public static final int MAGIC = 0x53554252;
    /** The only wire version this codec speaks. */
    public static final int VERSION = 1;

    /** Offset of the 32-bit magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the 32-bit checksum. */
    public static final int CHECKSUM_OFFSET = 4;
    /** Offset at which the checksum's coverage starts; it runs to the end of the frame. */
    public static final int CHECKSUM_COVERAGE_OFFSET = 8;
    /** Offset of the 8-bit version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the 8-bit frame type. */
    public static final int TYPE_OFFSET = 9;
    /** Offset of the 16-bit flags. */
    public static final int FLAGS_OFFSET = 10;
    /** Offset of the 32-bit payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 12;
    /** Offset of the 32-bit count of receive credits returned to the peer. */
    public static final int CREDITS_OFFSET = 16;
    /** Offset of a 32-bit reserved field that must be zero. */
    public static final int RESERVED_OFFSET = 20;
    /** Offset of the most significant 64 bits of the source node id. */
    public static final int SOURCE_MSB_OFFSET = 24;
    /** Offset of the least significant 64 bits of the source node id. */
    public static final int SOURCE_LSB_OFFSET = 32;
    /** Offset of the 64-bit source epoch. */
    public static final int EPOCH_OFFSET = 40;
    /** Offset of the 64-bit sequence. */
    public static final int SEQUENCE_OFFSET = 48;
    /** Length of the fixed header; the payload starts here. */
    public static final int HEADER_LENGTH = 56;

    /** The frame carries a CRC32C checksum. */
    public static final int FLAG_CHECKSUM = 0x0001;
    /** A MESSAGE or REPLY payload is one segment of a larger message. */
    public static final int FLAG_SEGMENT = 0x0002;
    /** A MESSAGE or REPLY payload is a rendezvous descriptor. */
    public static final int FLAG_RENDEZVOUS = 0x0004;
    /** A CREDIT frame also reports a completed rendezvous READ. */
    public static final int FLAG_RENDEZVOUS_DONE = 0x0008;
    /** A HELLO also carries a step of the dedicated-channel handshake and a queue pair address. */
    public static final int FLAG_CHANNEL = 0x0010;

    /** Segment header: offset of the 64-bit message id, relative to the payload. */
    public static final int SEGMENT_MESSAGE_ID_OFFSET = 0;
    /** Segment header: offset of the 32-bit total message length, relative to the payload. */
    public static final int SEGMENT_TOTAL_LENGTH_OFFSET = 8;
    /** Segment header: offset of the 32-bit offset of this segment within the message, relative to the payload. */
    public static final int SEGMENT_OFFSET_OFFSET = 12;
    /** Length of the segment header; the segment's bytes follow it. */
    public static final int SEGMENT_HEADER_LENGTH = 16;

    /** Rendezvous descriptor: offset of the 64-bit remote address, relative to the payload. */
    public static final int RENDEZVOUS_ADDRESS_OFFSET = 0;
    /** Rendezvous descriptor: offset of the 32-bit message length, relative to the payload. */
    public static final int RENDEZVOUS_LENGTH_OFFSET = 8;
    /** Rendezvous descriptor: offset of the 32-bit remote key, relative to the payload. */
    public static final int RENDEZVOUS_KEY_OFFSET = 12;
    /** Length of a rendezvous descriptor, and of the payload that carries one. */
    public static final int RENDEZVOUS_DESCRIPTOR_LENGTH = 16;

    /** Length of a CREDIT payload with {@link #FLAG_RENDEZVOUS_DONE}: the completed frame's sequence. */
    public static final int RENDEZVOUS_DONE_LENGTH = 8;

    /** HELLO: offset of the 32-bit largest message the sender accepts, relative to the payload. */
    public static final int HELLO_MAX_MESSAGE_SIZE_OFFSET = 0;
    /** HELLO: offset of the 32-bit largest frame the sender can receive, relative to the payload. */
    public static final int HELLO_MAX_FRAME_LENGTH_OFFSET = 4;
    /** HELLO: offset of the 16-bit node id length, relative to the payload. */
    public static final int HELLO_NODE_ID_LENGTH_OFFSET = 8;
    /** HELLO: offset of a 16-bit reserved field that must be zero, relative to the payload. */
    public static final int HELLO_RESERVED_OFFSET = 10;
    /** HELLO: offset of the UTF-8 node id, relative to the payload. */
    public static final int HELLO_NODE_ID_OFFSET = 12;
    /** Channel HELLO: offset of the 8-bit step, relative to the end of the node id. */
    public static final int HELLO_CHANNEL_STEP_OFFSET = 0;
    /** Channel HELLO: offset of an 8-bit reserved field that must be zero, relative to the end of the node id. */
    public static final int HELLO_CHANNEL_RESERVED_OFFSET = 1;
    /** Channel HELLO: offset of the 16-bit address length, relative to the end of the node id. */
    public static final int HELLO_CHANNEL_ADDRESS_LENGTH_OFFSET = 2;
    /** Channel HELLO: offset of the queue pair address, relative to the end of the node id. */
    public static final int HELLO_CHANNEL_ADDRESS_OFFSET = 4;
    /** The longest queue pair address a channel HELLO carries, in bytes. */
    public static final int MAX_CHANNEL_ADDRESS_LENGTH = 1100;
    /** The longest node id a HELLO carries, in UTF-8 bytes. */
    public static final int MAX_NODE_ID_LENGTH = 256;

    /** ERROR: offset of the 32-bit error code, relative to the payload. */
    public static final int ERROR_CODE_OFFSET = 0;
    /** ERROR: offset of the 16-bit reason length, relative to the payload. */
    public static final int ERROR_REASON_LENGTH_OFFSET = 4;
    /** ERROR: offset of a 16-bit reserved field that must be zero, relative to the payload. */
    public static final int ERROR_RESERVED_OFFSET = 6;
    /** ERROR: offset of the 64-bit sequence of the frame being answered, relative to the payload. */
    public static final int ERROR_RELATED_SEQUENCE_OFFSET = 8;
    /** ERROR: offset of the UTF-8 reason, relative to the payload. */
    public static final int ERROR_REASON_OFFSET = 16;
    /** The longest reason an ERROR carries, in UTF-8 bytes; longer reasons are cut when encoded. */
    public static final int MAX_REASON_LENGTH = 256;

    /** The smallest frame limit a node may use: every HELLO and every ERROR must fit in one frame. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH
        + Math.max(HELLO_NODE_ID_OFFSET + MAX_NODE_ID_LENGTH, ERROR_REASON_OFFSET + MAX_REASON_LENGTH);

    private FrameLayout() {
    }

    /**
     * @param payloadLength a payload length.
     * @return the length of the frame that carries it.
     */
    public static int frameLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }
}
