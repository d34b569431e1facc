package org.rdmabus.verbs.rdma.impl;

import java.util.Objects;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A UD queue pair in RTS with a shared receive queue of its own, whose receives keep the GRH out of the caller's
 * buffers. Address handles are the NIC's routes, created on the first datagram to a peer and reused after.
 * <p>
 * <b>Key.</b> A UD datagram carries a 32-bit Q_Key, which the receiving NIC compares with its queue pair's and drops
 * the datagram silently on a mismatch. The Q_Key is derived from the 64-bit access key: the two halves XORed, with
 * the top bit cleared (a set top bit asks for the sender's own, privileged key instead).
 */
final class RdmaDatagramQueuePair extends RdmaQueuePairBase implements DatagramQueuePair, ReceiveQueueUser {
    private final RdmaCompletionQueue receiveCompletions;
    private final RdmaSharedReceiveQueue receives;
    private final RdmaMemoryRegion header;
    private final TargetAddress address;
    private final int maxDatagramSize;

    RdmaDatagramQueuePair(RdmaNic nic, long qp, RdmaCompletionQueue sendCompletions, RdmaSharedReceiveQueue receives,
                          RdmaCompletionQueue receiveCompletions, RdmaMemoryRegion header, int sendQueueDepth,
                          int maxInline, long accessKey) {
        super(nic, qp, sendCompletions, sendQueueDepth, maxInline);
        this.receives = receives;
        this.receiveCompletions = receiveCompletions;
        this.header = header;
        RdmaLocator local = nic.locator(RdmaLocator.Kind.DATAGRAM, 0);
        this.maxDatagramSize = 128 << local.mtu();
        VerbsNative.modifyUdReady(qp, nic.port(), qkey(accessKey));
        receives.addUser(this);
        this.address = local.toAddress(qpNumber, accessKey);
    }

    /** @return the Q_Key datagrams under this access key carry. */
    static int qkey(long accessKey) {
        return (int) (accessKey ^ (accessKey >>> 32)) & 0x7FFF_FFFF;
    }

    @Override
    public TargetAddress address() {
        return address;
    }

    @Override
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    @Override
    public boolean post(TargetAddress target, WorkRequest request) {
        Objects.requireNonNull(target, "target");
        if (request.opcode() != Opcode.SEND) {
            throw new IllegalArgumentException("a datagram queue pair posts only SENDs, not " + request.opcode());
        }
        if (request.length() > maxDatagramSize) {
            throw new IllegalArgumentException("a datagram carries at most " + maxDatagramSize + " bytes (the path"
                + " MTU), not " + request.length());
        }
        return postRequest(request, nic.route(target));
    }

    @Override
    int postNative(long wrId, int opcode, int flags, long localAddress, int length, int lkey, long remoteAddress,
                   int rkey, int immediate, DcRoute target) {
        return VerbsNative.postUd(qp, target.ah(), target.dctNumber(), qkey(target.accessKey()), wrId, flags,
            localAddress, length, lkey);
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
    public void receiveQueueClosed() {
        stop();
    }

    @Override
    void reconnect() {
        VerbsNative.modifyQpState(qp, IBV_QPS_RESET);
        VerbsNative.modifyUdReady(qp, nic.port(), qkey(address.accessKey()));
    }

    @Override
    void detach() {
        sendCompletions.attachments().detach();
        receiveCompletions.attachments().detach();
        receives.detach(this);
        receives.close();
        header.close();
    }

    @Override
    public String toString() {
        return "UD queue pair " + qpNumber;
    }
}
