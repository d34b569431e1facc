package org.rdmabus.verbs.conformance;

/**
 * Which queue pairs carry a conformance test's requests. Every test that does not depend on DC addressing runs
 * once per transport, so the {@code rdma} provider on a device without DC (Soft-RoCE) runs it over RC.
 */
public enum Transport {
    /** A DC initiator posting to a DC target by address. */
    DC,
    /** An RC queue pair posting to the peer queue pair it is connected to; the peer receives from an SRQ. */
    RC;

    /**
     * Whether the sending queue pair works again after {@code reset()} following a remote error. A DC target
     * is untouched by a refused request, so resetting the initiator is enough. Verbs moves both ends of an RC
     * connection to ERROR on a remote error, and a reset does not resume the connection on every device
     * (Soft-RoCE reports RETRY_EXCEEDED afterwards), so the connection is replaced, as the pool does.
     *
     * @return {@code true} for DC.
     */
    public boolean resetRecoversFromRemoteErrors() {
        return this == DC;
    }

    /**
     * Whether the responder may consume a posted receive for a WRITE_WITH_IMM it refuses (and complete that
     * receive in error). On RC the responder takes the receive before it checks the remote range on some devices
     * (Soft-RoCE does); nothing is written and the receive never completes successfully either way.
     *
     * @return {@code true} for RC.
     */
    public boolean refusedWriteWithImmediateMayConsumeAReceive() {
        return this == RC;
    }
}
