package org.rdmabus.verbs.soft.impl;

import java.util.Objects;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A datagram queue pair on the soft fabric: a DC initiator for its sends and a DC target on a receive queue of its
 * own. The soft fabric never loses a datagram, which a datagram's contract allows; the size limit is enforced as
 * on a real NIC, so callers that fit here fit there.
 */
final class SoftDatagramQueuePair implements DatagramQueuePair {
    /** As a RoCE path MTU of 4096: the largest a real UD datagram can be. */
    static final int MAX_DATAGRAM_SIZE = 4096;

    private final DcInitiator initiator;
    private final DcTarget target;
    private final SharedReceiveQueue receives;

    SoftDatagramQueuePair(DcInitiator initiator, DcTarget target, SharedReceiveQueue receives) {
        this.initiator = initiator;
        this.target = target;
        this.receives = receives;
    }

    /** @return the DC target datagrams land on, for fault injection. */
    DcTarget target() {
        return target;
    }

    @Override
    public TargetAddress address() {
        return target.address();
    }

    @Override
    public int maxDatagramSize() {
        return MAX_DATAGRAM_SIZE;
    }

    @Override
    public boolean post(TargetAddress destination, WorkRequest request) {
        Objects.requireNonNull(destination, "target");
        if (request.opcode() != Opcode.SEND) {
            throw new IllegalArgumentException("a datagram queue pair posts only SENDs, not " + request.opcode());
        }
        if (request.length() > MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("a datagram carries at most " + MAX_DATAGRAM_SIZE + " bytes, not "
                + request.length());
        }
        return initiator.post(destination, request);
    }

    @Override
    public boolean postReceive(long wrId, MemoryRegion region, long offset, int length) {
        return receives.postReceive(wrId, region, offset, length);
    }

    @Override
    public int postedReceives() {
        return receives.posted();
    }

    @Override
    public QueuePairState state() {
        return initiator.state();
    }

    @Override
    public void reset() {
        initiator.reset();
    }

    @Override
    public int sendQueueSpace() {
        return initiator.sendQueueSpace();
    }

    @Override
    public void close() {
        target.close();
        initiator.close();
        receives.close();
    }

    @Override
    public String toString() {
        return "SoftDatagramQueuePair{" + target.address() + '}';
    }
}
