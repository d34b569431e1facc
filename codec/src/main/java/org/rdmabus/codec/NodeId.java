package org.rdmabus.codec;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.impl.NodeIdMapper;
import org.rdmabus.codec.impl.Utf8;

/**
 * A node's identity on the wire: 128 bits in every frame header, mapped from the Vert.x node id text.
 * <p>
 * <b>Why 128 bits in every frame, and how ids that are not UUIDs travel.</b> Vert.x node ids are
 * {@code UUID.randomUUID()} strings in practice, but cluster managers may use any string. Every frame carries the
 * full 128-bit id rather than a short tag agreed per peer, because frames reach a node through a shared receive
 * queue from any initiator: each frame must say who sent it without per-connection state, and a tag protocol
 * would open a window in which frames arrive before the tag is known. The mapping is:
 * <ul>
 *   <li>a canonical lower-case UUID string (not version 8) maps to its own bits; the receiver turns the bits back
 *   into the same text with {@link #text()} and needs nothing else;</li>
 *   <li>any other string maps to the first 128 bits of its SHA-256, stamped as an RFC 9562 version-8 UUID. The
 *   receiver learns the text from the sender's {@link FrameType#HELLO}, which carries the full string; the decoder
 *   checks that the string maps to the bits in the HELLO's header ({@link DecodeError#NODE_ID_MISMATCH}), and a
 *   receiver that sees two strings for one value answers {@link ErrorCode#NODE_ID_CONFLICT}.</li>
 * </ul>
 * Verbatim ids are never version 8, so {@link #isDerived()} tells the two apart from the bits alone.
 * <p>
 * Immutable. Equality is by bits only.
 */
public final class NodeId {
    private final long mostSignificantBits;
    private final long leastSignificantBits;
    private final String text;

    private NodeId(long mostSignificantBits, long leastSignificantBits, String text) {
        this.mostSignificantBits = mostSignificantBits;
        this.leastSignificantBits = leastSignificantBits;
        this.text = text;
    }

    /**
     * Maps a Vert.x node id to its wire identity. Not for hot paths: ids that are not UUIDs are hashed.
     *
     * @param nodeId the node id: 1..{@value FrameLayout#MAX_NODE_ID_LENGTH} bytes of well-formed UTF-8.
     * @return its identity.
     * @throws IllegalArgumentException if the id is empty, too long, or holds an unpaired surrogate.
     */
    public static NodeId of(String nodeId) {
        int length = Utf8.encodedLength(nodeId);
        if (length < 1 || length > FrameLayout.MAX_NODE_ID_LENGTH) {
            throw new IllegalArgumentException("a node id must be 1.." + FrameLayout.MAX_NODE_ID_LENGTH
                + " bytes of well-formed UTF-8, was " + (length < 0 ? "malformed" : length + " bytes"));
        }
        byte[] bytes = nodeId.getBytes(StandardCharsets.UTF_8);
        NodeIdMapper mapper = new NodeIdMapper(bytes.length);
        mapper.map(new VarHandleBuffer(bytes), 0, bytes.length);
        return new NodeId(mapper.mostSignificantBits(), mapper.leastSignificantBits(), nodeId);
    }

    /**
     * The identity of a node known only from a frame header.
     *
     * @param mostSignificantBits  the high half.
     * @param leastSignificantBits the low half.
     * @return the identity; its {@link #text()} is the UUID string unless the id is derived, then {@code null}.
     */
    public static NodeId ofBits(long mostSignificantBits, long leastSignificantBits) {
        String text = NodeIdMapper.isDerived(mostSignificantBits)
            ? null : new UUID(mostSignificantBits, leastSignificantBits).toString();
        return new NodeId(mostSignificantBits, leastSignificantBits, text);
    }

    /**
     * @param mostSignificantBits the high half of an id, as read from a frame.
     * @return whether the id was derived by hashing, so that its text must come from a HELLO.
     */
    public static boolean isDerived(long mostSignificantBits) {
        return NodeIdMapper.isDerived(mostSignificantBits);
    }

    /** @return the high 64 bits, as in {@link FrameLayout#SOURCE_MSB_OFFSET}. */
    public long mostSignificantBits() {
        return mostSignificantBits;
    }

    /** @return the low 64 bits, as in {@link FrameLayout#SOURCE_LSB_OFFSET}. */
    public long leastSignificantBits() {
        return leastSignificantBits;
    }

    /** @return whether the id was derived by hashing rather than taken verbatim from a UUID string. */
    public boolean isDerived() {
        return NodeIdMapper.isDerived(mostSignificantBits);
    }

    /**
     * @return the Vert.x node id text, or {@code null} for a derived id built with {@link #ofBits} (its text is
     *         known only from the node's HELLO).
     */
    public String text() {
        return text;
    }

    /**
     * @param msb the high half of an id.
     * @param lsb the low half.
     * @return whether those are this id's bits. Does not allocate.
     */
    public boolean matches(long msb, long lsb) {
        return msb == mostSignificantBits && lsb == leastSignificantBits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && matches(other.mostSignificantBits, other.leastSignificantBits);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mostSignificantBits * 31 + leastSignificantBits);
    }

    /** @return the text when known, else the bits as a UUID string marked as derived. */
    @Override
    public String toString() {
        return text != null ? text : "derived:" + new UUID(mostSignificantBits, leastSignificantBits);
    }
}
