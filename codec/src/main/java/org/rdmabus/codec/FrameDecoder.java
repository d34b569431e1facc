package org.rdmabus.codec;

import static org.rdmabus.codec.FrameLayout.*;

import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.rdmabus.codec.impl.Crc32cCalculator;
import org.rdmabus.codec.impl.NodeIdMapper;
import org.rdmabus.codec.impl.Utf8;

/**
 * A strict, reusable flyweight over one received frame.
 * <p>
 * {@link #decode} checks every field and every length against the bytes received before it exposes anything, and
 * answers with a boolean instead of throwing: on {@code false}, {@link #failure()} names the {@link DecodeError},
 * the field and the limit, and the shared {@link DecodeErrorCounters} count it. Neither path allocates (a HELLO
 * with a hashed node id uses a digest made once per decoder). A frame is valid only if it fills the received
 * length exactly, so a frame that decodes is one the sender's {@link FrameEncoder} could have written, bit for
 * bit.
 * <p>
 * After a successful decode the accessors read the frame in place; payload bytes are never copied. Type-specific
 * accessors throw {@link IllegalStateException} when called on a frame of another kind: that is a caller bug, not
 * bad input.
 * <p>
 * Not thread-safe: one decoder per receiving thread.
 */
public final class FrameDecoder {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int MESSAGE_FLAGS = FLAG_CHECKSUM | FLAG_SEGMENT | FLAG_RENDEZVOUS;
    private static final int CREDIT_FLAGS = FLAG_CHECKSUM | FLAG_RENDEZVOUS_DONE;
    private static final int HELLO_FLAGS = FLAG_CHECKSUM | FLAG_CHANNEL;

    private final CodecLimits limits;
    private final DecodeErrorCounters counters;
    private final DecodeFailure failure = new DecodeFailure();
    private final Crc32cCalculator crc = new Crc32cCalculator();
    private NodeIdMapper nodeIdMapper;

    private DirectBuffer buffer;
    private int offset;
    private int frameLength;
    private FrameType type;
    private int flags;
    private boolean valid;

    /**
     * @param limits   the frame and message limits to enforce.
     * @param counters where refusals are counted; may be shared.
     */
    public FrameDecoder(CodecLimits limits, DecodeErrorCounters counters) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Decodes the frame that fills {@code buffer[offset, offset + length)}. Never throws on bad bytes.
     *
     * @param buffer the received bytes.
     * @param offset where the frame starts.
     * @param length how many bytes were received; the frame must fill them exactly.
     * @return whether the frame is valid; if not, see {@link #failure()}.
     */
    public boolean decode(DirectBuffer buffer, int offset, int length) {
        valid = false;
        type = null;
        this.buffer = buffer;
        this.offset = offset;
        failure.reset();
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            return fail(DecodeError.INVALID_BOUNDS, "length", length, "bytesAfterOffset",
                Math.max(0, buffer.capacity() - Math.max(0, offset)));
        }
        if (length < HEADER_LENGTH) {
            return fail(DecodeError.TRUNCATED_HEADER, "length", length, "headerLength", HEADER_LENGTH);
        }
        int magic = buffer.getInt(offset + MAGIC_OFFSET, LE);
        if (magic != MAGIC) {
            return fail(DecodeError.BAD_MAGIC, "magic", magic & 0xFFFF_FFFFL, "expectedMagic", MAGIC);
        }
        int version = buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
        if (version != VERSION) {
            return fail(DecodeError.UNSUPPORTED_VERSION, "version", version, "supportedVersion", VERSION);
        }
        int typeCode = buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
        FrameType frameType = FrameType.fromCode(typeCode);
        if (frameType == null) {
            return fail(DecodeError.UNKNOWN_TYPE, "type", typeCode, null, 0);
        }
        int frameFlags = buffer.getShort(offset + FLAGS_OFFSET, LE) & 0xFFFF;
        int allowed = allowedFlags(frameType);
        if ((frameFlags & ~allowed) != 0 || (frameFlags & (FLAG_SEGMENT | FLAG_RENDEZVOUS)) == (FLAG_SEGMENT
            | FLAG_RENDEZVOUS)) {
            return fail(DecodeError.BAD_FLAGS, "flags", frameFlags, "allowedFlags", allowed);
        }
        int reserved = buffer.getInt(offset + RESERVED_OFFSET, LE);
        if (reserved != 0) {
            return fail(DecodeError.NONZERO_RESERVED, "reserved", reserved, null, 0);
        }
        if (length > limits.maxFrameLength()) {
            return fail(DecodeError.FRAME_TOO_LARGE, "length", length, "maxFrameLength", limits.maxFrameLength());
        }
        int payloadLength = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, LE);
        long announced = (long) HEADER_LENGTH + payloadLength;
        if (payloadLength < 0) {
            return fail(DecodeError.LENGTH_MISMATCH, "payloadLength", payloadLength, "receivedPayload",
                length - HEADER_LENGTH);
        }
        if (announced > limits.maxFrameLength()) {
            return fail(DecodeError.FRAME_TOO_LARGE, "frameLength", announced, "maxFrameLength",
                limits.maxFrameLength());
        }
        if (announced > length) {
            return fail(DecodeError.TRUNCATED_PAYLOAD, "payloadLength", payloadLength, "receivedPayload",
                length - HEADER_LENGTH);
        }
        if (announced < length) {
            return fail(DecodeError.LENGTH_MISMATCH, "length", length, "frameLength", announced);
        }
        int credits = buffer.getInt(offset + CREDITS_OFFSET, LE);
        if (credits < 0) {
            return fail(DecodeError.BAD_CREDITS, "credits", credits, null, 0);
        }
        int checksum = buffer.getInt(offset + CHECKSUM_OFFSET, LE);
        if ((frameFlags & FLAG_CHECKSUM) != 0) {
            int computed = crc.compute(buffer, offset + CHECKSUM_COVERAGE_OFFSET, length - CHECKSUM_COVERAGE_OFFSET);
            if (computed != checksum) {
                return fail(DecodeError.CHECKSUM_MISMATCH, "checksum", checksum & 0xFFFF_FFFFL, "computedChecksum",
                    computed & 0xFFFF_FFFFL);
            }
        } else if (checksum != 0) {
            return fail(DecodeError.NONZERO_RESERVED, "checksum", checksum & 0xFFFF_FFFFL, null, 0);
        }
        this.frameLength = length;
        this.type = frameType;
        this.flags = frameFlags;
        if (!checkPayload(frameType, frameFlags, offset + HEADER_LENGTH, payloadLength)) {
            type = null;
            return false;
        }
        valid = true;
        return true;
    }

    /** @return why the last {@link #decode} returned {@code false}; reused by every decode. */
    public DecodeFailure failure() {
        return failure;
    }

    /** @return the limits this decoder enforces. */
    public CodecLimits limits() {
        return limits;
    }

    /** @return whether the last decode succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** @return the buffer of the last decoded frame. */
    public DirectBuffer buffer() {
        requireValid();
        return buffer;
    }

    /** @return where the frame starts in {@link #buffer()}. */
    public int offset() {
        requireValid();
        return offset;
    }

    /** @return the frame's length, header included. */
    public int frameLength() {
        requireValid();
        return frameLength;
    }

    /** @return the frame's type. */
    public FrameType type() {
        requireValid();
        return type;
    }

    /** @return the frame's flags, as in {@link FrameLayout#FLAGS_OFFSET}. */
    public int flags() {
        requireValid();
        return flags;
    }

    /** @return whether the frame carries a (verified) checksum. */
    public boolean isChecksummed() {
        requireValid();
        return (flags & FLAG_CHECKSUM) != 0;
    }

    /** @return whether the frame is one segment of a MESSAGE or REPLY. */
    public boolean isSegment() {
        requireValid();
        return (flags & FLAG_SEGMENT) != 0;
    }

    /** @return whether the frame is a rendezvous descriptor for a MESSAGE or REPLY. */
    public boolean isRendezvous() {
        requireValid();
        return (flags & FLAG_RENDEZVOUS) != 0;
    }

    /** @return whether the frame is a CREDIT that also reports a completed rendezvous. */
    public boolean isRendezvousDone() {
        requireValid();
        return (flags & FLAG_RENDEZVOUS_DONE) != 0;
    }

    /** @return the high half of the source node id. */
    public long sourceMostSignificantBits() {
        requireValid();
        return buffer.getLong(offset + SOURCE_MSB_OFFSET, LE);
    }

    /** @return the low half of the source node id. */
    public long sourceLeastSignificantBits() {
        requireValid();
        return buffer.getLong(offset + SOURCE_LSB_OFFSET, LE);
    }

    /**
     * @param node a node.
     * @return whether the frame comes from that node. Does not allocate.
     */
    public boolean isFrom(NodeId node) {
        return node.matches(sourceMostSignificantBits(), sourceLeastSignificantBits());
    }

    /** @return the source's incarnation. */
    public long epoch() {
        requireValid();
        return buffer.getLong(offset + EPOCH_OFFSET, LE);
    }

    /** @return the frame's sequence on its (source, destination) pair. */
    public long sequence() {
        requireValid();
        return buffer.getLong(offset + SEQUENCE_OFFSET, LE);
    }

    /** @return the receive credits the source returned. */
    public int credits() {
        requireValid();
        return buffer.getInt(offset + CREDITS_OFFSET, LE);
    }

    /** @return where the payload starts in {@link #buffer()}. */
    public int payloadOffset() {
        requireValid();
        return offset + HEADER_LENGTH;
    }

    /** @return the payload's length. */
    public int payloadLength() {
        requireValid();
        return frameLength - HEADER_LENGTH;
    }

    /** @return the message id of a segment. */
    public long segmentMessageId() {
        requireFlag(FLAG_SEGMENT, "segment");
        return buffer.getLong(offset + HEADER_LENGTH + SEGMENT_MESSAGE_ID_OFFSET, LE);
    }

    /** @return the whole message's length, for a segment. */
    public int segmentTotalLength() {
        requireFlag(FLAG_SEGMENT, "segment");
        return buffer.getInt(offset + HEADER_LENGTH + SEGMENT_TOTAL_LENGTH_OFFSET, LE);
    }

    /** @return where a segment starts in its message. */
    public int segmentOffset() {
        requireFlag(FLAG_SEGMENT, "segment");
        return buffer.getInt(offset + HEADER_LENGTH + SEGMENT_OFFSET_OFFSET, LE);
    }

    /** @return where a segment's bytes start in {@link #buffer()}. */
    public int segmentDataOffset() {
        requireFlag(FLAG_SEGMENT, "segment");
        return offset + HEADER_LENGTH + SEGMENT_HEADER_LENGTH;
    }

    /** @return how many message bytes a segment carries. */
    public int segmentDataLength() {
        requireFlag(FLAG_SEGMENT, "segment");
        return frameLength - HEADER_LENGTH - SEGMENT_HEADER_LENGTH;
    }

    /** @return whether a segment is its message's first. */
    public boolean isFirstSegment() {
        return segmentOffset() == 0;
    }

    /** @return whether a segment is its message's last. */
    public boolean isLastSegment() {
        return segmentOffset() + segmentDataLength() == segmentTotalLength();
    }

    /** @return the address a rendezvous message is READ from. */
    public long rendezvousAddress() {
        requireFlag(FLAG_RENDEZVOUS, "rendezvous");
        return buffer.getLong(offset + HEADER_LENGTH + RENDEZVOUS_ADDRESS_OFFSET, LE);
    }

    /** @return the length of a rendezvous message; at most the maximum message size. */
    public int rendezvousLength() {
        requireFlag(FLAG_RENDEZVOUS, "rendezvous");
        return buffer.getInt(offset + HEADER_LENGTH + RENDEZVOUS_LENGTH_OFFSET, LE);
    }

    /** @return the remote key for a rendezvous READ. Never log it. */
    public int rendezvousKey() {
        requireFlag(FLAG_RENDEZVOUS, "rendezvous");
        return buffer.getInt(offset + HEADER_LENGTH + RENDEZVOUS_KEY_OFFSET, LE);
    }

    /** @return the sequence of the rendezvous frame whose READ completed. */
    public long completedSequence() {
        requireFlag(FLAG_RENDEZVOUS_DONE, "rendezvous-done");
        return buffer.getLong(offset + HEADER_LENGTH, LE);
    }

    /** @return the largest message the HELLO's sender accepts. */
    public int helloMaxMessageSize() {
        requireType(FrameType.HELLO);
        return buffer.getInt(offset + HEADER_LENGTH + HELLO_MAX_MESSAGE_SIZE_OFFSET, LE);
    }

    /** @return the largest frame the HELLO's sender can receive. */
    public int helloMaxFrameLength() {
        requireType(FrameType.HELLO);
        return buffer.getInt(offset + HEADER_LENGTH + HELLO_MAX_FRAME_LENGTH_OFFSET, LE);
    }

    /** @return where the HELLO's UTF-8 node id starts in {@link #buffer()}. */
    public int helloNodeIdOffset() {
        requireType(FrameType.HELLO);
        return offset + HEADER_LENGTH + HELLO_NODE_ID_OFFSET;
    }

    /** @return the length of the HELLO's node id, in bytes. */
    public int helloNodeIdLength() {
        requireType(FrameType.HELLO);
        return buffer.getShort(offset + HEADER_LENGTH + HELLO_NODE_ID_LENGTH_OFFSET, LE) & 0xFFFF;
    }

    /** @return the HELLO's node id text. Allocates; HELLOs are rare. */
    public String helloNodeId() {
        return buffer.getStringWithoutLengthUtf8(helloNodeIdOffset(), helloNodeIdLength());
    }

    /** @return whether the HELLO carries a dedicated-channel step ({@link FrameLayout#FLAG_CHANNEL}). */
    public boolean isChannelHello() {
        requireType(FrameType.HELLO);
        return (flags & FLAG_CHANNEL) != 0;
    }

    /** @return the channel step of a channel HELLO, 1..255. */
    public int channelStep() {
        requireFlag(FLAG_CHANNEL, "channel hello");
        return buffer.getByte(channelExtension() + HELLO_CHANNEL_STEP_OFFSET) & 0xFF;
    }

    /** @return where a channel HELLO's queue pair address starts in {@link #buffer()}. */
    public int channelAddressOffset() {
        requireFlag(FLAG_CHANNEL, "channel hello");
        return channelExtension() + HELLO_CHANNEL_ADDRESS_OFFSET;
    }

    /** @return the length of a channel HELLO's queue pair address; 0 when the step carries none. */
    public int channelAddressLength() {
        requireFlag(FLAG_CHANNEL, "channel hello");
        return buffer.getShort(channelExtension() + HELLO_CHANNEL_ADDRESS_LENGTH_OFFSET, LE) & 0xFFFF;
    }

    private int channelExtension() {
        return helloNodeIdOffset() + helloNodeIdLength();
    }

    /** @return the ERROR's code. */
    public ErrorCode errorCode() {
        requireType(FrameType.ERROR);
        return ErrorCode.fromCode(buffer.getInt(offset + HEADER_LENGTH + ERROR_CODE_OFFSET, LE));
    }

    /** @return the sequence of the frame the ERROR answers, or 0. */
    public long errorRelatedSequence() {
        requireType(FrameType.ERROR);
        return buffer.getLong(offset + HEADER_LENGTH + ERROR_RELATED_SEQUENCE_OFFSET, LE);
    }

    /** @return the ERROR's reason. Allocates; errors are rare. */
    public String errorReason() {
        requireType(FrameType.ERROR);
        int length = buffer.getShort(offset + HEADER_LENGTH + ERROR_REASON_LENGTH_OFFSET, LE) & 0xFFFF;
        return buffer.getStringWithoutLengthUtf8(offset + HEADER_LENGTH + ERROR_REASON_OFFSET, length);
    }

    /** @return the frame's header and kind, or the failure; never a rendezvous address or key. */
    @Override
    public String toString() {
        if (!valid) {
            return "Frame{invalid: " + failure.describe() + '}';
        }
        StringBuilder text = new StringBuilder(160).append("Frame{").append(type)
            .append(", flags=0x").append(Integer.toHexString(flags))
            .append(", source=").append(NodeId.ofBits(sourceMostSignificantBits(), sourceLeastSignificantBits()))
            .append(", epoch=").append(epoch())
            .append(", sequence=").append(sequence())
            .append(", credits=").append(credits())
            .append(", payloadLength=").append(payloadLength());
        if (isSegment()) {
            text.append(", messageId=").append(segmentMessageId())
                .append(", segment=[").append(segmentOffset()).append(", +").append(segmentDataLength())
                .append(") of ").append(segmentTotalLength());
        } else if (isRendezvous()) {
            text.append(", rendezvousLength=").append(rendezvousLength());
        }
        return text.append('}').toString();
    }

    private boolean checkPayload(FrameType frameType, int frameFlags, int payload, int payloadLength) {
        switch (frameType) {
            case MESSAGE:
            case REPLY:
                if ((frameFlags & FLAG_SEGMENT) != 0) {
                    return checkSegment(payload, payloadLength);
                }
                if ((frameFlags & FLAG_RENDEZVOUS) != 0) {
                    return checkRendezvous(payload, payloadLength);
                }
                if (payloadLength > limits.maxMessageSize()) {
                    return fail(DecodeError.MESSAGE_TOO_LARGE, "payloadLength", payloadLength, "maxMessageSize",
                        limits.maxMessageSize());
                }
                return true;
            case CREDIT:
                return expectPayloadLength(payloadLength,
                    (frameFlags & FLAG_RENDEZVOUS_DONE) != 0 ? RENDEZVOUS_DONE_LENGTH : 0);
            case BYE:
                return expectPayloadLength(payloadLength, 0);
            case HELLO:
                return checkHello(payload, payloadLength);
            case ERROR:
                return checkError(payload, payloadLength);
            default:
                throw new IllegalStateException("frame type without payload rules: " + frameType);
        }
    }

    private boolean checkSegment(int payload, int payloadLength) {
        if (payloadLength <= SEGMENT_HEADER_LENGTH) {
            return fail(DecodeError.BAD_SEGMENT, "payloadLength", payloadLength, "minSegmentPayload",
                SEGMENT_HEADER_LENGTH + 1);
        }
        int total = buffer.getInt(payload + SEGMENT_TOTAL_LENGTH_OFFSET, LE);
        if (total > limits.maxMessageSize()) {
            return fail(DecodeError.MESSAGE_TOO_LARGE, "segment.totalLength", total, "maxMessageSize",
                limits.maxMessageSize());
        }
        if (total <= 0) {
            return fail(DecodeError.BAD_SEGMENT, "segment.totalLength", total, null, 0);
        }
        int segmentOffset = buffer.getInt(payload + SEGMENT_OFFSET_OFFSET, LE);
        long end = (long) segmentOffset + payloadLength - SEGMENT_HEADER_LENGTH;
        if (segmentOffset < 0) {
            return fail(DecodeError.BAD_SEGMENT, "segment.offset", segmentOffset, null, 0);
        }
        if (end > total) {
            return fail(DecodeError.BAD_SEGMENT, "segment.end", end, "segment.totalLength", total);
        }
        return true;
    }

    private boolean checkRendezvous(int payload, int payloadLength) {
        if (!expectPayloadLength(payloadLength, RENDEZVOUS_DESCRIPTOR_LENGTH)) {
            return false;
        }
        int length = buffer.getInt(payload + RENDEZVOUS_LENGTH_OFFSET, LE);
        if (length > limits.maxMessageSize()) {
            return fail(DecodeError.MESSAGE_TOO_LARGE, "rendezvous.length", length, "maxMessageSize",
                limits.maxMessageSize());
        }
        if (length <= 0) {
            return fail(DecodeError.BAD_RENDEZVOUS, "rendezvous.length", length, null, 0);
        }
        return true;
    }

    private boolean checkHello(int payload, int payloadLength) {
        if (payloadLength < HELLO_NODE_ID_OFFSET) {
            return fail(DecodeError.LENGTH_MISMATCH, "payloadLength", payloadLength, "helloFixedLength",
                HELLO_NODE_ID_OFFSET);
        }
        int maxMessageSize = buffer.getInt(payload + HELLO_MAX_MESSAGE_SIZE_OFFSET, LE);
        if (maxMessageSize < 1) {
            return fail(DecodeError.BAD_HELLO, "hello.maxMessageSize", maxMessageSize, "minMessageSize", 1);
        }
        int maxFrameLength = buffer.getInt(payload + HELLO_MAX_FRAME_LENGTH_OFFSET, LE);
        if (maxFrameLength < MIN_FRAME_LENGTH) {
            return fail(DecodeError.BAD_HELLO, "hello.maxFrameLength", maxFrameLength, "minFrameLength",
                MIN_FRAME_LENGTH);
        }
        int idLength = buffer.getShort(payload + HELLO_NODE_ID_LENGTH_OFFSET, LE) & 0xFFFF;
        if (idLength < 1 || idLength > MAX_NODE_ID_LENGTH) {
            return fail(DecodeError.BAD_HELLO, "hello.nodeIdLength", idLength, "maxNodeIdLength", MAX_NODE_ID_LENGTH);
        }
        int reserved = buffer.getShort(payload + HELLO_RESERVED_OFFSET, LE) & 0xFFFF;
        if (reserved != 0) {
            return fail(DecodeError.NONZERO_RESERVED, "hello.reserved", reserved, null, 0);
        }
        if ((flags & FLAG_CHANNEL) != 0) {
            if (!checkChannel(payload + HELLO_NODE_ID_OFFSET + idLength,
                payloadLength - HELLO_NODE_ID_OFFSET - idLength)) {
                return false;
            }
        } else if (!expectPayloadLength(payloadLength, HELLO_NODE_ID_OFFSET + idLength)) {
            return false;
        }
        int id = payload + HELLO_NODE_ID_OFFSET;
        if (!Utf8.isWellFormed(buffer, id, idLength)) {
            return fail(DecodeError.BAD_TEXT, "hello.nodeId", idLength, null, 0);
        }
        if (nodeIdMapper == null) {
            nodeIdMapper = new NodeIdMapper(MAX_NODE_ID_LENGTH);
        }
        nodeIdMapper.map(buffer, id, idLength);
        long msb = buffer.getLong(offset + SOURCE_MSB_OFFSET, LE);
        long lsb = buffer.getLong(offset + SOURCE_LSB_OFFSET, LE);
        if (nodeIdMapper.mostSignificantBits() != msb || nodeIdMapper.leastSignificantBits() != lsb) {
            return fail(DecodeError.NODE_ID_MISMATCH, "hello.nodeId", idLength, null, 0);
        }
        return true;
    }

    private boolean checkChannel(int extension, int extensionLength) {
        if (extensionLength < HELLO_CHANNEL_ADDRESS_OFFSET) {
            return fail(DecodeError.LENGTH_MISMATCH, "payloadLength", extensionLength, "channelFixedLength",
                HELLO_CHANNEL_ADDRESS_OFFSET);
        }
        int step = buffer.getByte(extension + HELLO_CHANNEL_STEP_OFFSET) & 0xFF;
        if (step == 0) {
            return fail(DecodeError.BAD_HELLO, "hello.channelStep", step, "minChannelStep", 1);
        }
        int reserved = buffer.getByte(extension + HELLO_CHANNEL_RESERVED_OFFSET) & 0xFF;
        if (reserved != 0) {
            return fail(DecodeError.NONZERO_RESERVED, "hello.channelReserved", reserved, null, 0);
        }
        int addressLength = buffer.getShort(extension + HELLO_CHANNEL_ADDRESS_LENGTH_OFFSET, LE) & 0xFFFF;
        if (addressLength > MAX_CHANNEL_ADDRESS_LENGTH) {
            return fail(DecodeError.BAD_HELLO, "hello.channelAddressLength", addressLength,
                "maxChannelAddressLength", MAX_CHANNEL_ADDRESS_LENGTH);
        }
        return expectPayloadLength(extensionLength, HELLO_CHANNEL_ADDRESS_OFFSET + addressLength);
    }

    private boolean checkError(int payload, int payloadLength) {
        if (payloadLength < ERROR_REASON_OFFSET) {
            return fail(DecodeError.LENGTH_MISMATCH, "payloadLength", payloadLength, "errorFixedLength",
                ERROR_REASON_OFFSET);
        }
        int code = buffer.getInt(payload + ERROR_CODE_OFFSET, LE);
        if (ErrorCode.fromCode(code) == null) {
            return fail(DecodeError.UNKNOWN_ERROR_CODE, "error.code", code, null, 0);
        }
        int reasonLength = buffer.getShort(payload + ERROR_REASON_LENGTH_OFFSET, LE) & 0xFFFF;
        if (reasonLength > MAX_REASON_LENGTH) {
            return fail(DecodeError.BAD_TEXT, "error.reasonLength", reasonLength, "maxReasonLength",
                MAX_REASON_LENGTH);
        }
        int reserved = buffer.getShort(payload + ERROR_RESERVED_OFFSET, LE) & 0xFFFF;
        if (reserved != 0) {
            return fail(DecodeError.NONZERO_RESERVED, "error.reserved", reserved, null, 0);
        }
        if (!expectPayloadLength(payloadLength, ERROR_REASON_OFFSET + reasonLength)) {
            return false;
        }
        if (!Utf8.isWellFormed(buffer, payload + ERROR_REASON_OFFSET, reasonLength)) {
            return fail(DecodeError.BAD_TEXT, "error.reason", reasonLength, null, 0);
        }
        return true;
    }

    private boolean expectPayloadLength(int payloadLength, int expected) {
        if (payloadLength != expected) {
            return fail(DecodeError.LENGTH_MISMATCH, "payloadLength", payloadLength, "expectedPayloadLength",
                expected);
        }
        return true;
    }

    private static int allowedFlags(FrameType frameType) {
        if (frameType.carriesMessage()) {
            return MESSAGE_FLAGS;
        }
        if (frameType == FrameType.HELLO) {
            return HELLO_FLAGS;
        }
        return frameType == FrameType.CREDIT ? CREDIT_FLAGS : FLAG_CHECKSUM;
    }

    private boolean fail(DecodeError reason, String field, long value, String limitName, long limit) {
        failure.set(reason, field, value, limitName, limit);
        counters.increment(reason);
        return false;
    }

    private void requireValid() {
        if (!valid) {
            throw new IllegalStateException("no valid frame: the last decode failed or none was made");
        }
    }

    private void requireFlag(int flag, String kind) {
        requireValid();
        if ((flags & flag) == 0) {
            throw new IllegalStateException("not a " + kind + " frame: " + type + " with flags 0x"
                + Integer.toHexString(flags));
        }
    }

    private void requireType(FrameType expected) {
        requireValid();
        if (type != expected) {
            throw new IllegalStateException("not a " + expected + " frame: " + type);
        }
    }
}
