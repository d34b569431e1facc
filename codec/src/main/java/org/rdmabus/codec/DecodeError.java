package org.rdmabus.codec;

/**
 * Why a frame or a segment was refused. {@link FrameDecoder} reports the frame reasons, {@link Reassembler} the
 * segment reasons; {@link DecodeErrorCounters} counts both, so metrics see one list.
 */
public enum DecodeError {
    /** The offset and length given to the decoder lie outside the buffer. */
    INVALID_BOUNDS("the range to decode lies outside the buffer"),
    /** Fewer bytes than a frame header. */
    TRUNCATED_HEADER("fewer bytes than a frame header"),
    /** The magic is not {@code RBUS}. */
    BAD_MAGIC("not an rdmabus frame"),
    /** A wire version this codec does not speak. */
    UNSUPPORTED_VERSION("unsupported wire version"),
    /** A frame type code this version does not know. */
    UNKNOWN_TYPE("unknown frame type"),
    /** A flag bit that is unknown, not allowed for the frame's type, or combined with a conflicting flag. */
    BAD_FLAGS("flags not allowed for this frame type"),
    /** A reserved field, or the checksum of a frame without a checksum, is not zero. */
    NONZERO_RESERVED("reserved field not zero"),
    /** The frame is larger than the receiver's frame limit. */
    FRAME_TOO_LARGE("frame larger than the limit"),
    /** The header announces more payload than was received. */
    TRUNCATED_PAYLOAD("payload shorter than announced"),
    /** The received length, the announced payload length and the type's own lengths disagree. */
    LENGTH_MISMATCH("lengths disagree"),
    /** A negative credit count. */
    BAD_CREDITS("negative credits"),
    /** The CRC32C does not match the frame's bytes. */
    CHECKSUM_MISMATCH("checksum mismatch"),
    /** A message, segmented or by rendezvous, is larger than the maximum message size. */
    MESSAGE_TOO_LARGE("message larger than the limit"),
    /** A segment header that cannot describe a part of a message (empty, negative, or past the total). */
    BAD_SEGMENT("malformed segment header"),
    /** A rendezvous descriptor with no bytes to read. */
    BAD_RENDEZVOUS("malformed rendezvous descriptor"),
    /** A HELLO whose limits are below what the protocol needs, or whose node id length is out of range. */
    BAD_HELLO("malformed hello"),
    /** A HELLO whose node id string does not map to the source node id bits in its header. */
    NODE_ID_MISMATCH("hello node id does not match the header's source"),
    /** Text (a node id or an error reason) that is not well-formed UTF-8 or is too long. */
    BAD_TEXT("malformed or over-long text"),
    /** An ERROR frame with an error code this version does not know. */
    UNKNOWN_ERROR_CODE("unknown error code"),

    /** A segment that is not the next expected one: an earlier segment was lost or reordered, or the first segment
     * of its message never arrived. The partial message is discarded. */
    SEGMENT_OUT_OF_ORDER("segment out of order"),
    /** A segment whose bytes were all received already, or a segment of a message already completed or
     * discarded. The partial message, if any, is kept. */
    SEGMENT_DUPLICATE("duplicate segment"),
    /** A segment that overlaps bytes already received and extends past them. The partial message is discarded. */
    SEGMENT_OVERLAP("overlapping segment"),
    /** A segment whose total length or frame type differs from its message's first segment. The partial message
     * is discarded. */
    SEGMENT_INCONSISTENT("segment disagrees with its message"),
    /** A segment from an older incarnation of its source. */
    STALE_EPOCH("segment from an older incarnation"),
    /** A source has as many partial messages as it may have. */
    TOO_MANY_PARTIAL_MESSAGES("too many partial messages for one source"),
    /** Accepting the message would take reassembly memory past its budget across all sources. */
    REASSEMBLY_MEMORY_EXHAUSTED("reassembly memory budget exhausted"),
    /** Reassembly state is held for as many sources as allowed, each with a partial message. */
    TOO_MANY_SOURCES("too many sources with partial messages");

    private final String description;

    DecodeError(String description) {
        this.description = description;
    }

    /** @return a short human description of the reason. */
    public String description() {
        return description;
    }

    /** @return the code of the ERROR frame that answers a refusal for this reason, should the receiver answer. */
    public ErrorCode answer() {
        return switch (this) {
            case MESSAGE_TOO_LARGE -> ErrorCode.MESSAGE_TOO_LARGE;
            case NODE_ID_MISMATCH -> ErrorCode.NODE_ID_CONFLICT;
            case STALE_EPOCH -> ErrorCode.STALE_EPOCH;
            case SEGMENT_OUT_OF_ORDER, SEGMENT_DUPLICATE, SEGMENT_OVERLAP, SEGMENT_INCONSISTENT,
                 TOO_MANY_PARTIAL_MESSAGES, REASSEMBLY_MEMORY_EXHAUSTED, TOO_MANY_SOURCES -> ErrorCode.REASSEMBLY_FAILED;
            default -> ErrorCode.PROTOCOL_ERROR;
        };
    }
}
