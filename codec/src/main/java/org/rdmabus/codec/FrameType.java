package org.rdmabus.codec;

/** The kind of a frame, with its code on the wire. */
public enum FrameType {
    /** An event-bus message (send or publish). */
    MESSAGE(1),
    /** A reply to an event-bus request. */
    REPLY(2),
    /** Receive credits returned to the peer, optionally with a completed rendezvous. */
    CREDIT(3),
    /** The first frame to a peer: the sender's full node id and its limits. */
    HELLO(4),
    /** The sender is leaving; the peer may release everything it holds for it. */
    BYE(5),
    /** A typed error with a short reason, answering a frame or a condition. */
    ERROR(6);

    private static final FrameType[] BY_CODE = new FrameType[8];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** @return the type's code on the wire. */
    public int code() {
        return code;
    }

    /** @return whether frames of this type carry an event-bus message and so may be segmented or rendezvous. */
    public boolean carriesMessage() {
        return this == MESSAGE || this == REPLY;
    }

    /**
     * @param code a type code read from the wire.
     * @return the type, or {@code null} if the code is unknown. Does not allocate.
     */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
