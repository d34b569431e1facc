package org.rdmabus.verbs.rdma.impl;

import java.util.Objects;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * A verbs UD queue pair with a receive queue of its own, created in RTS by the NIC.
 * <ul>
 *   <li><b>Sends</b> name their destination by address; its address handle comes from a bounded per-queue-pair
 *   cache ({@link UdRoutes}), so a send to a known peer creates nothing. The remote Q_Key is derived from the
 *   address's access key ({@link QueueKeys}): a datagram sent with another key is dropped by the receiving NIC.
 *   Payloads that fit the granted inline size are copied into the work request.</li>
 *   <li><b>Size.</b> {@link #maxDatagramSize()} is this port's active MTU; a send to a peer whose port has a
 *   smaller MTU is limited by that one, since a larger datagram would be dropped on the way unseen.</li>
 *   <li><b>Receives</b> take up to three scatter entries: the 40-byte GRH goes to a provider-owned scratch slot,
 *   the payload to the caller's buffer, and the completion's byte count is the payload's alone. A datagram longer
 *   than the buffer would move the queue pair to ERROR on Soft-RoCE, so whatever exceeds the buffer goes to a
 *   shared overflow scratch area that tops every receive up to the MTU, and the receive completes
 *   {@code LOCAL_LENGTH}: the datagram is dropped, as {@link DatagramQueuePair} promises, and no peer can stop
 *   this queue pair by sending too much.</li>
 *   <li><b>Reset and close</b> report queued sends and posted receives {@code FLUSHED}; after a reset the
 *   caller posts receives again.</li>
 * </ul>
 */
final class RdmaDatagramQueuePair extends RdmaQueuePairBase<UdRoute> implements DatagramQueuePair {
    private static final int ENOMEM = 12;

    private final RdmaCompletionQueue receiveCompletions;
    private final ReceiveSlots receives;
    private final int receiveSlot;
    private final RdmaMemoryRegion headers;
    private final UdRoutes routes;
    private final TargetAddress address;
    private final int qkey;
    private final int psn;

    /**
     * @param nic                the NIC.
     * @param qp                 the UD queue pair, already in RTS.
     * @param sendCompletions    where its sends complete (attached).
     * @param receiveCompletions where its receives complete (attached).
     * @param sendQueueDepth     the send queue depth.
     * @param maxInline          the inline payload size the device granted.
     * @param receives           its receive buffers, registered with the NIC at {@code receiveSlot}.
     * @param receiveSlot        the receive queue's slot in work-request ids.
     * @param headers            scratch memory: the overflow area ({@link RdmaNic#mtuBytes()} bytes), then one GRH
     *                           slot per receive; owned from now on.
     * @param accessKey          the key its address carries and its Q_Key is derived from.
     * @param psn                the send PSN it was brought up with.
     */
    RdmaDatagramQueuePair(RdmaNic nic, long qp, RdmaCompletionQueue sendCompletions,
                          RdmaCompletionQueue receiveCompletions, int sendQueueDepth, int maxInline,
                          ReceiveSlots receives, int receiveSlot, RdmaMemoryRegion headers, long accessKey, int psn) {
        super(nic, qp, sendCompletions, sendQueueDepth, maxInline);
        this.receiveCompletions = receiveCompletions;
        this.receives = receives;
        this.receiveSlot = receiveSlot;
        this.headers = headers;
        this.qkey = QueueKeys.of(accessKey);
        this.psn = psn;
        this.address = nic.locator(RdmaLocator.Kind.UD, 0).toAddress(qpNumber, accessKey);
        this.routes = new UdRoutes(UdRoutes.DEFAULT_CAPACITY, nic.mtuBytes(), nic.addressHandles());
    }

    @Override
    public TargetAddress address() {
        return address;
    }

    @Override
    public int maxDatagramSize() {
        return nic.mtuBytes();
    }

    @Override
    public boolean post(TargetAddress target, WorkRequest request) {
        Objects.requireNonNull(target, "target");
        if (request.opcode() != Opcode.SEND) {
            throw new IllegalArgumentException("a datagram queue pair posts only SENDs, not " + request.opcode());
        }
        if (request.length() > maxDatagramSize()) {
            throw new IllegalArgumentException("a datagram carries at most " + maxDatagramSize() + " bytes here, not "
                + request.length());
        }
        if (!enter()) {
            throw new IllegalStateException("the queue pair is closed");
        }
        try {
            if (sendQueueSpace() == 0) {
                // Before the route: a post that cannot happen must not evict or create an address handle.
                return false;
            }
            UdRoute route = routes.route(target, sendQueue().completed());
            if (request.length() > route.maxDatagramSize()) {
                throw new IllegalArgumentException("the path to " + target + " carries datagrams of at most "
                    + route.maxDatagramSize() + " bytes, not " + request.length());
            }
            boolean posted = postRequest(request, route);
            route.usedBy(sendQueue().posted());
            return posted;
        } finally {
            leave();
        }
    }

    @Override
    int postNative(long wrId, int opcode, int flags, long localAddress, int length, int lkey, long remoteAddress,
                   int rkey, int immediate, UdRoute route) {
        // A control frame of a few hundred bytes is cheaper to copy into the work request than for the NIC to fetch.
        int effective = length > 0 && length <= maxInline() ? flags | IBV_SEND_INLINE : flags;
        return VerbsNative.postUdSend(qp, route.ah(), route.queuePairNumber(), route.qkey(), wrId, effective,
            localAddress, length, lkey);
    }

    @Override
    public boolean postReceive(long wrId, MemoryRegion region, long offset, int length) {
        RdmaMemoryRegion buffer = nic.ownRegion(region);
        buffer.checkRange(offset, length);
        if (!enter()) {
            throw new IllegalStateException("the queue pair is closed");
        }
        try {
            int ticket = receives.take(wrId, length);
            if (ticket == -1) {
                return false;
            }
            int mtu = nic.mtuBytes();
            long header = headers.address() + mtu + (long) receives.index(ticket) * VerbsNative.UD_GRH_BYTES;
            int error = VerbsNative.postUdReceive(qp, WorkRequestIds.receive(receiveSlot, ticket), header,
                headers.lkey(), buffer.address() + offset, length, buffer.lkey(), headers.address(),
                Math.max(0, mtu - length));
            if (error != 0) {
                receives.release(ticket);
                if (error == ENOMEM) {
                    return false;
                }
                throw new VerbsException("ibv_post_recv failed on UD queue pair " + qpNumber + " with errno " + error);
            }
            return true;
        } finally {
            leave();
        }
    }

    @Override
    public int postedReceives() {
        return receives.posted();
    }

    /** A failed UD receive need not have stopped the queue pair; only the NIC knows, and failures are rare. */
    @Override
    void receiveFailed() {
        if (enter()) {
            try {
                if (inErrorOnTheNic()) {
                    markError();
                }
            } finally {
                leave();
            }
        }
    }

    /** ERROR flushed the receive queue too: its buffers are reported here, whatever the NIC still delivers. */
    @Override
    void reconnect() {
        receives.flushAll(receiveCompletions);
        VerbsNative.modifyQpState(qp, IBV_QPS_RESET);
        VerbsNative.modifyUdReady(qp, nic.port(), qkey, psn);
    }

    @Override
    void detach() {
        receives.flushAll(receiveCompletions);
        nic.forgetReceives(receiveSlot);
        routes.close();
        headers.close();
        sendCompletions.attachments().detach();
        receiveCompletions.attachments().detach();
    }

    @Override
    public String toString() {
        return "UD queue pair " + qpNumber;
    }
}
