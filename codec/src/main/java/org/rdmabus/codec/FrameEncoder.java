package org.rdmabus.codec;

import static org.rdmabus.codec.FrameLayout.*;

import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.rdmabus.codec.impl.Crc32cCalculator;
import org.rdmabus.codec.impl.Utf8;

/**
 * Writes frames from one sender into caller-provided buffers at an offset, without allocating.
 * <p>
 * The sender's node id and epoch are fixed at construction, as is whether frames carry a checksum. Each method
 * writes one whole frame starting at {@code offset} and returns its length; the buffer must have room for it
 * (checked before anything is written). To avoid copying an event-bus message, write it directly at
 * {@code offset + }{@link FrameLayout#HEADER_LENGTH} and call {@link #encodeMessageHeader}.
 * <p>
 * Arguments that no valid frame could carry (negative credits, a type that carries no message, an empty
 * rendezvous) are programming errors and throw {@link IllegalArgumentException}.
 * <p>
 * Not thread-safe: one encoder per sending thread.
 */
public final class FrameEncoder {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final NodeId source;
    private final long epoch;
    private final boolean checksums;
    private final Crc32cCalculator crc;

    /**
     * @param source    the sending node.
     * @param epoch     the sender's incarnation; it must grow across restarts of the node.
     * @param checksums whether every frame carries a CRC32C ({@link FrameLayout#FLAG_CHECKSUM}).
     */
    public FrameEncoder(NodeId source, long epoch, boolean checksums) {
        this.source = Objects.requireNonNull(source, "source");
        this.epoch = epoch;
        this.checksums = checksums;
        this.crc = checksums ? new Crc32cCalculator() : null;
    }

    /** @return the sending node. */
    public NodeId source() {
        return source;
    }

    /** @return the sender's incarnation. */
    public long epoch() {
        return epoch;
    }

    /** @return whether frames carry a checksum. */
    public boolean checksums() {
        return checksums;
    }

    /**
     * Writes the header of an unsegmented MESSAGE or REPLY whose payload is already in place at
     * {@code offset + HEADER_LENGTH}.
     *
     * @param buffer        the destination.
     * @param offset        where the frame starts.
     * @param type          MESSAGE or REPLY.
     * @param sequence      the frame's sequence.
     * @param credits       receive credits returned to the peer.
     * @param payloadLength the length of the payload already written.
     * @return the frame length.
     */
    public int encodeMessageHeader(MutableDirectBuffer buffer, int offset, FrameType type, long sequence,
                                   int credits, int payloadLength) {
        requireMessageType(type);
        requireNonNegative("payloadLength", payloadLength);
        return finish(buffer, offset, type, 0, sequence, credits, payloadLength);
    }

    /**
     * Writes an unsegmented MESSAGE or REPLY, copying its payload.
     *
     * @param buffer   the destination.
     * @param offset   where the frame starts.
     * @param type     MESSAGE or REPLY.
     * @param sequence the frame's sequence.
     * @param credits  receive credits returned to the peer.
     * @param payload  the encoded event-bus message.
     * @param from     where it starts in {@code payload}.
     * @param length   its length.
     * @return the frame length.
     */
    public int encodeMessage(MutableDirectBuffer buffer, int offset, FrameType type, long sequence, int credits,
                             DirectBuffer payload, int from, int length) {
        requireMessageType(type);
        requireNonNegative("length", length);
        requireRoom(buffer, offset, length);
        buffer.putBytes(offset + HEADER_LENGTH, payload, from, length);
        return finish(buffer, offset, type, 0, sequence, credits, length);
    }

    /**
     * Writes one segment of a larger MESSAGE or REPLY. {@link Segmenter} drives this for a whole message.
     *
     * @param buffer        the destination.
     * @param offset        where the frame starts.
     * @param type          MESSAGE or REPLY.
     * @param sequence      the frame's sequence.
     * @param credits       receive credits returned to the peer.
     * @param messageId     the message's id; ids from one sender must grow in the order messages begin.
     * @param totalLength   the whole message's length.
     * @param segmentOffset where this segment starts in the message.
     * @param message       the message bytes (the whole message or just this segment's source).
     * @param from          where this segment's bytes start in {@code message}.
     * @param length        the segment's length, at least 1.
     * @return the frame length.
     */
    public int encodeSegment(MutableDirectBuffer buffer, int offset, FrameType type, long sequence, int credits,
                             long messageId, int totalLength, int segmentOffset, DirectBuffer message, int from,
                             int length) {
        requireMessageType(type);
        if (length < 1 || segmentOffset < 0 || (long) segmentOffset + length > totalLength) {
            throw new IllegalArgumentException("segment [" + segmentOffset + ", +" + length
                + ") is empty or outside a message of " + totalLength + " bytes");
        }
        int payloadLength = SEGMENT_HEADER_LENGTH + length;
        requireRoom(buffer, offset, payloadLength);
        int payload = offset + HEADER_LENGTH;
        buffer.putLong(payload + SEGMENT_MESSAGE_ID_OFFSET, messageId, LE);
        buffer.putInt(payload + SEGMENT_TOTAL_LENGTH_OFFSET, totalLength, LE);
        buffer.putInt(payload + SEGMENT_OFFSET_OFFSET, segmentOffset, LE);
        buffer.putBytes(payload + SEGMENT_HEADER_LENGTH, message, from, length);
        return finish(buffer, offset, type, FLAG_SEGMENT, sequence, credits, payloadLength);
    }

    /**
     * Writes a MESSAGE or REPLY that points at a message in the sender's registered memory. The remote key stays
     * between the encoder, the wire and the transport: nothing in the codec prints it.
     *
     * @param buffer        the destination.
     * @param offset        where the frame starts.
     * @param type          MESSAGE or REPLY.
     * @param sequence      the frame's sequence; the receiver names it when the READ is done.
     * @param credits       receive credits returned to the peer.
     * @param remoteAddress the message's address for the receiver's READ.
     * @param length        the message's length, at least 1.
     * @param remoteKey     the key of the region holding it.
     * @return the frame length.
     */
    public int encodeRendezvous(MutableDirectBuffer buffer, int offset, FrameType type, long sequence, int credits,
                                long remoteAddress, int length, int remoteKey) {
        requireMessageType(type);
        if (length < 1) {
            throw new IllegalArgumentException("a rendezvous must describe at least 1 byte, was " + length);
        }
        requireRoom(buffer, offset, RENDEZVOUS_DESCRIPTOR_LENGTH);
        int payload = offset + HEADER_LENGTH;
        buffer.putLong(payload + RENDEZVOUS_ADDRESS_OFFSET, remoteAddress, LE);
        buffer.putInt(payload + RENDEZVOUS_LENGTH_OFFSET, length, LE);
        buffer.putInt(payload + RENDEZVOUS_KEY_OFFSET, remoteKey, LE);
        return finish(buffer, offset, type, FLAG_RENDEZVOUS, sequence, credits, RENDEZVOUS_DESCRIPTOR_LENGTH);
    }

    /**
     * Writes a CREDIT frame.
     *
     * @param buffer   the destination.
     * @param offset   where the frame starts.
     * @param sequence the frame's sequence.
     * @param credits  receive credits returned to the peer.
     * @return the frame length.
     */
    public int encodeCredit(MutableDirectBuffer buffer, int offset, long sequence, int credits) {
        requireRoom(buffer, offset, 0);
        return finish(buffer, offset, FrameType.CREDIT, 0, sequence, credits, 0);
    }

    /**
     * Writes a CREDIT frame that also reports a completed rendezvous READ.
     *
     * @param buffer            the destination.
     * @param offset            where the frame starts.
     * @param sequence          the frame's sequence.
     * @param credits           receive credits returned to the peer.
     * @param completedSequence the sequence of the rendezvous frame whose message was read.
     * @return the frame length.
     */
    public int encodeRendezvousDone(MutableDirectBuffer buffer, int offset, long sequence, int credits,
                                    long completedSequence) {
        requireRoom(buffer, offset, RENDEZVOUS_DONE_LENGTH);
        buffer.putLong(offset + HEADER_LENGTH, completedSequence, LE);
        return finish(buffer, offset, FrameType.CREDIT, FLAG_RENDEZVOUS_DONE, sequence, credits,
            RENDEZVOUS_DONE_LENGTH);
    }

    /**
     * Writes a HELLO carrying the sender's full node id text and its limits.
     *
     * @param buffer         the destination.
     * @param offset         where the frame starts.
     * @param sequence       the frame's sequence.
     * @param credits        receive credits granted to the peer.
     * @param maxMessageSize the largest message the sender accepts, positive.
     * @param maxFrameLength the largest frame the sender can receive, at least
     *                       {@link FrameLayout#MIN_FRAME_LENGTH}.
     * @return the frame length.
     * @throws IllegalStateException if the encoder's node id has no text (built with {@link NodeId#ofBits} for a
     *                               derived id).
     */
    public int encodeHello(MutableDirectBuffer buffer, int offset, long sequence, int credits, int maxMessageSize,
                           int maxFrameLength) {
        int idLength = helloIdLength(maxMessageSize, maxFrameLength);
        requireRoom(buffer, offset, HELLO_NODE_ID_OFFSET + idLength);
        writeHelloBody(buffer, offset, maxMessageSize, maxFrameLength, idLength);
        return finish(buffer, offset, FrameType.HELLO, 0, sequence, credits, HELLO_NODE_ID_OFFSET + idLength);
    }

    private int helloIdLength(int maxMessageSize, int maxFrameLength) {
        String text = source.text();
        if (text == null) {
            throw new IllegalStateException("a HELLO needs the node id text; " + source + " was built from bits");
        }
        if (maxMessageSize < 1 || maxFrameLength < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("hello limits maxMessageSize=" + maxMessageSize + ", maxFrameLength="
                + maxFrameLength + " are below the protocol's minimum (1, " + MIN_FRAME_LENGTH + ")");
        }
        return Utf8.encodedLength(text);
    }

    private void writeHelloBody(MutableDirectBuffer buffer, int offset, int maxMessageSize, int maxFrameLength,
                                int idLength) {
        // NodeId.of admitted the text only if it is well-formed and fits, so it is written whole.
        int payload = offset + HEADER_LENGTH;
        Utf8.encodeTruncated(source.text(), buffer, payload + HELLO_NODE_ID_OFFSET, idLength);
        buffer.putInt(payload + HELLO_MAX_MESSAGE_SIZE_OFFSET, maxMessageSize, LE);
        buffer.putInt(payload + HELLO_MAX_FRAME_LENGTH_OFFSET, maxFrameLength, LE);
        buffer.putShort(payload + HELLO_NODE_ID_LENGTH_OFFSET, (short) idLength, LE);
        buffer.putShort(payload + HELLO_RESERVED_OFFSET, (short) 0, LE);
    }

    /**
     * Writes a HELLO that also carries one step of the dedicated-channel handshake ({@link FrameLayout#FLAG_CHANNEL}).
     *
     * @param buffer         the destination.
     * @param offset         where the frame starts.
     * @param sequence       the frame's sequence.
     * @param credits        receive credits returned to the peer.
     * @param maxMessageSize the largest message the sender accepts, positive.
     * @param maxFrameLength the largest frame the sender can receive.
     * @param step           the handshake step, 1..255; its meaning belongs to the pool.
     * @param address        a queue pair address in the NIC layer's binary form, or anything of length 0.
     * @param from           where the address starts in {@code address}.
     * @param length         the address's length, 0..{@link FrameLayout#MAX_CHANNEL_ADDRESS_LENGTH}.
     * @return the frame length.
     */
    public int encodeChannelHello(MutableDirectBuffer buffer, int offset, long sequence, int credits,
                                  int maxMessageSize, int maxFrameLength, int step, DirectBuffer address, int from,
                                  int length) {
        if (step < 1 || step > 0xFF || length < 0 || length > MAX_CHANNEL_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("channel step " + step + " must be 1..255 and its address 0.."
                + MAX_CHANNEL_ADDRESS_LENGTH + " bytes, was " + length);
        }
        int idLength = helloIdLength(maxMessageSize, maxFrameLength);
        int extension = HELLO_NODE_ID_OFFSET + idLength;
        int payloadLength = extension + HELLO_CHANNEL_ADDRESS_OFFSET + length;
        requireRoom(buffer, offset, payloadLength);
        writeHelloBody(buffer, offset, maxMessageSize, maxFrameLength, idLength);
        int channel = offset + HEADER_LENGTH + extension;
        buffer.putByte(channel + HELLO_CHANNEL_STEP_OFFSET, (byte) step);
        buffer.putByte(channel + HELLO_CHANNEL_RESERVED_OFFSET, (byte) 0);
        buffer.putShort(channel + HELLO_CHANNEL_ADDRESS_LENGTH_OFFSET, (short) length, LE);
        buffer.putBytes(channel + HELLO_CHANNEL_ADDRESS_OFFSET, address, from, length);
        return finish(buffer, offset, FrameType.HELLO, FLAG_CHANNEL, sequence, credits, payloadLength);
    }

    /**
     * Writes a BYE.
     *
     * @param buffer   the destination.
     * @param offset   where the frame starts.
     * @param sequence the frame's sequence.
     * @param credits  receive credits returned to the peer.
     * @return the frame length.
     */
    public int encodeBye(MutableDirectBuffer buffer, int offset, long sequence, int credits) {
        requireRoom(buffer, offset, 0);
        return finish(buffer, offset, FrameType.BYE, 0, sequence, credits, 0);
    }

    /**
     * Writes an ERROR. A reason longer than {@link FrameLayout#MAX_REASON_LENGTH} UTF-8 bytes is cut between
     * code points; unpaired surrogates become {@code '?'}.
     *
     * @param buffer          the destination.
     * @param offset          where the frame starts.
     * @param sequence        the frame's sequence.
     * @param credits         receive credits returned to the peer.
     * @param code            what went wrong.
     * @param relatedSequence the sequence of the frame being answered, or 0.
     * @param reason          a short human reason; never put secrets (keys, addresses) in it.
     * @return the frame length.
     */
    public int encodeError(MutableDirectBuffer buffer, int offset, long sequence, int credits, ErrorCode code,
                           long relatedSequence, CharSequence reason) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        // The worst case for the reason's UTF-8 form, so the frame never spills over the buffer's end.
        requireRoom(buffer, offset, ERROR_REASON_OFFSET + (int) Math.min(MAX_REASON_LENGTH, 4L * reason.length()));
        int payload = offset + HEADER_LENGTH;
        int reasonLength = Utf8.encodeTruncated(reason, buffer, payload + ERROR_REASON_OFFSET, MAX_REASON_LENGTH);
        buffer.putInt(payload + ERROR_CODE_OFFSET, code.code(), LE);
        buffer.putShort(payload + ERROR_REASON_LENGTH_OFFSET, (short) reasonLength, LE);
        buffer.putShort(payload + ERROR_RESERVED_OFFSET, (short) 0, LE);
        buffer.putLong(payload + ERROR_RELATED_SEQUENCE_OFFSET, relatedSequence, LE);
        return finish(buffer, offset, FrameType.ERROR, 0, sequence, credits, ERROR_REASON_OFFSET + reasonLength);
    }

    private int finish(MutableDirectBuffer buffer, int offset, FrameType type, int flags, long sequence, int credits,
                       int payloadLength) {
        requireNonNegative("credits", credits);
        requireRoom(buffer, offset, payloadLength);
        int allFlags = checksums ? flags | FLAG_CHECKSUM : flags;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, LE);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0, LE);
        buffer.putByte(offset + VERSION_OFFSET, (byte) VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte) type.code());
        buffer.putShort(offset + FLAGS_OFFSET, (short) allFlags, LE);
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, LE);
        buffer.putInt(offset + CREDITS_OFFSET, credits, LE);
        buffer.putInt(offset + RESERVED_OFFSET, 0, LE);
        buffer.putLong(offset + SOURCE_MSB_OFFSET, source.mostSignificantBits(), LE);
        buffer.putLong(offset + SOURCE_LSB_OFFSET, source.leastSignificantBits(), LE);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, LE);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, LE);
        int frameLength = HEADER_LENGTH + payloadLength;
        if (checksums) {
            int checksum = crc.compute(buffer, offset + CHECKSUM_COVERAGE_OFFSET, frameLength - CHECKSUM_COVERAGE_OFFSET);
            buffer.putInt(offset + CHECKSUM_OFFSET, checksum, LE);
        }
        return frameLength;
    }

    private static void requireMessageType(FrameType type) {
        if (type == null || !type.carriesMessage()) {
            throw new IllegalArgumentException("only MESSAGE and REPLY carry a message, not " + type);
        }
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requireRoom(MutableDirectBuffer buffer, int offset, int payloadLength) {
        long end = (long) offset + HEADER_LENGTH + payloadLength;
        if (offset < 0 || (!buffer.isExpandable() && end > buffer.capacity())) {
            throw new IllegalArgumentException("a frame of " + (HEADER_LENGTH + payloadLength) + " bytes at offset "
                + offset + " does not fit a buffer of " + buffer.capacity() + " bytes");
        }
    }
}
