package org.rdmabus.verbs;

/** The operation a {@link WorkRequest} asks for, or that a {@link Completion} reports. */
public enum Opcode {
    /** Two-sided: the payload lands in a receive buffer the target posted. */
    SEND,
    /** One-sided: the payload is copied into the target's registered memory; the target is not told. */
    WRITE,
    /** One-sided WRITE that also consumes a receive at the target and delivers 32 bits of immediate data. */
    WRITE_WITH_IMM,
    /** One-sided: bytes are copied out of the target's registered memory into a local region. */
    READ,
    /** A receive completion for a SEND. */
    RECV,
    /** A receive completion for a WRITE_WITH_IMM; the bytes are in the target's memory, not the receive buffer. */
    RECV_RDMA_WITH_IMM;

    private static final Opcode[] VALUES = values();

    /**
     * @param ordinal an ordinal previously taken from {@link #ordinal()}.
     * @return the opcode, without allocating.
     */
    public static Opcode ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
