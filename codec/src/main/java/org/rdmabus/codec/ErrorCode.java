package org.rdmabus.codec;

/**
 * What an {@link FrameType#ERROR} frame reports, with its stable code on the wire. A code this version does not
 * know makes the frame invalid ({@link DecodeError#UNKNOWN_ERROR_CODE}); new codes come with a new wire version.
 */
public enum ErrorCode {
    /** A frame from the peer was malformed or broke the protocol; the reason says how. */
    PROTOCOL_ERROR(1),
    /** A message was larger than the receiver accepts. */
    MESSAGE_TOO_LARGE(2),
    /** The peer sent without receive credits. */
    NO_CREDITS(3),
    /** The receiver could not READ a rendezvous message; the related sequence names the frame, whose memory the
     * sender may now release. */
    RENDEZVOUS_FAILED(4),
    /** A segmented message could not be reassembled; the related sequence names the offending frame. */
    REASSEMBLY_FAILED(5),
    /** A HELLO named a node id that this receiver already knows under other bits, or bits it knows under another
     * id. */
    NODE_ID_CONFLICT(6),
    /** A frame came from an older incarnation of the peer. */
    STALE_EPOCH(7),
    /** The receiver is shutting down. */
    SHUTTING_DOWN(8),
    /** The receiver failed for a reason of its own. */
    INTERNAL_ERROR(9);

    private static final ErrorCode[] BY_CODE = new ErrorCode[10];

    static {
        for (ErrorCode code : values()) {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** @return the code on the wire. */
    public int code() {
        return code;
    }

    /**
     * @param code a code read from the wire.
     * @return the error code, or {@code null} if unknown. Does not allocate.
     */
    public static ErrorCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
