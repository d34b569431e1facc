package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * An RC queue pair whose receives come from a shared receive queue. Created in INIT; {@link #connect}
 * performs INIT to RTR to RTS with the peer's address, the provider's timeouts and its READ depths.
 * <p>
 * Errors on RC: a failure at the responder (remote access, invalid request) moves both ends to ERROR, the
 * responder's without a completion on its side, so its {@link #state()} says READY until a completion shows
 * otherwise; {@link #reset()} asks the NIC and resets it anyway. {@link #reset()} resumes the packet sequence
 * where the queue pair stopped, which keeps a connection usable after local errors (bad buffers, oversized
 * inline) and flushes. After errors that desynchronise the two ends (remote errors, RNR or retry exhaustion)
 * later requests fail with RETRY_EXCEEDED instead of being lost: replace such a queue pair with a new
 * connection.
 */
final class RdmaReliableQueuePair extends RdmaQueuePairBase<Void> implements ReliableQueuePair, ReceiveQueueUser {
    private final RdmaCompletionQueue receiveCompletions;
    private final RdmaSharedReceiveQueue receives;
    private final RdmaLocator local;
    private volatile RdmaLocator remote;
    private volatile int remoteQpn;

    RdmaReliableQueuePair(RdmaNic nic, long qp, RdmaCompletionQueue sendCompletions,
                          RdmaSharedReceiveQueue receives, RdmaCompletionQueue receiveCompletions, int sendQueueDepth,
                          int maxInline, int psn) {
        super(nic, qp, sendCompletions, sendQueueDepth, maxInline);
        this.receives = receives;
        this.receiveCompletions = receiveCompletions;
        this.local = nic.locator(RdmaLocator.Kind.RC, psn);
        VerbsNative.modifyRcInit(qp, nic.port(), RdmaNic.REMOTE_ACCESS);
        receives.addUser(this);
        ClosedQueuePairs.created(local.gid(), qpNumber);
    }

    @Override
    public void receiveQueueClosed() {
        stop();
    }

    @Override
    public TargetAddress localAddress() {
        return local.toAddress(qpNumber, local.checkValue(qpNumber));
    }

    @Override
    public synchronized void connect(TargetAddress address) {
        if (isClosed()) {
            throw new IllegalStateException("the queue pair is closed");
        }
        if (remote != null) {
            throw new IllegalStateException("already connected to " + remote);
        }
        RdmaLocator peer;
        try {
            peer = RdmaLocator.of(address);
        } catch (IllegalArgumentException e) {
            throw new VerbsException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        if (peer.kind() != RdmaLocator.Kind.RC) {
            throw new VerbsException("cannot connect to " + address + ": it is a " + peer.kind()
                + " target, not a reliable queue pair");
        }
        if (ClosedQueuePairs.isClosed(peer.gid(), address.targetNumber())) {
            throw new VerbsException("cannot connect to " + address + ": that queue pair was closed");
        }
        if (address.accessKey() != peer.checkValue(address.targetNumber())) {
            throw new VerbsException("cannot connect to " + address + ": its check value does not match, so it"
                + " is not an unaltered reliable queue pair address");
        }
        bringUp(peer, address.targetNumber(), peer.psn(), local.psn());
        remoteQpn = address.targetNumber();
        remote = peer;
    }

    private void bringUp(RdmaLocator peer, int peerQpn, int receivePsn, int sendPsn) {
        TransportTimeouts timeouts = nic.timeouts();
        VerbsNative.modifyRcRtr(qp, nic.port(), Math.min(local.mtu(), peer.mtu()), peerQpn, receivePsn, peer.lid(),
            peer.gid(), local.global() || peer.global(), nic.gidIndex(), nic.readsAsTarget(),
            timeouts.rnrTimerCode());
        VerbsNative.modifyRcRts(qp, sendPsn, timeouts.ackTimeoutCode(), timeouts.retryCount(), timeouts.rnrRetry(),
            nic.readsAsInitiator());
    }

    @Override
    public boolean isConnected() {
        return remote != null && !isClosed();
    }

    @Override
    public boolean post(WorkRequest request) {
        if (remote == null) {
            throw new IllegalStateException("connect the queue pair before posting");
        }
        return postRequest(request, null);
    }

    @Override
    int postNative(long wrId, int opcode, int flags, long localAddress, int length, int lkey, long remoteAddress,
                   int rkey, int immediate, Void target) {
        return VerbsNative.postSend(qp, wrId, opcode, flags, localAddress, length, lkey, remoteAddress, rkey,
            immediate);
    }

    /**
     * Resumes the packet sequence where the queue pair stopped, so a peer that survived sees new requests, not
     * duplicates of old ones.
     */
    @Override
    void reconnect() {
        int[] attributes = new int[3];
        VerbsNative.queryQp(qp, attributes);
        VerbsNative.modifyQpState(qp, IBV_QPS_RESET);
        VerbsNative.modifyRcInit(qp, nic.port(), RdmaNic.REMOTE_ACCESS);
        RdmaLocator peer = remote;
        if (peer != null) {
            bringUp(peer, remoteQpn, attributes[2], attributes[1]);
        }
    }

    @Override
    void detach() {
        ClosedQueuePairs.closed(local.gid(), qpNumber);
        sendCompletions.attachments().detach();
        receiveCompletions.attachments().detach();
        receives.detach(this);
    }

    @Override
    public String toString() {
        return "RC queue pair " + qpNumber + (remote != null ? " -> " + remoteQpn : " (unconnected)");
    }
}
