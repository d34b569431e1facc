package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A DC initiator (mlx5 DCI): one send queue that names its target in every request through
 * {@code mlx5dv_wr_set_dc_addr}. Routes (address handles) are shared by the NIC and created on first use.
 */
final class RdmaDcInitiator extends RdmaQueuePairBase<DcRoute> implements DcInitiator {

    RdmaDcInitiator(RdmaNic nic, long qp, RdmaCompletionQueue completions, int sendQueueDepth, int maxInline) {
        super(nic, qp, completions, sendQueueDepth, maxInline);
        connectToRts();
    }

    private void connectToRts() {
        TransportTimeouts timeouts = nic.timeouts();
        VerbsNative.connectDci(qp, nic.port(), nic.mtu(), nic.global(), nic.gidIndex(), timeouts.ackTimeoutCode(),
            timeouts.retryCount(), timeouts.rnrRetry(), nic.readsAsInitiator());
    }

    @Override
    public boolean post(TargetAddress target, WorkRequest request) {
        return postRequest(request, nic.route(target));
    }

    @Override
    int postNative(long wrId, int opcode, int flags, long localAddress, int length, int lkey, long remoteAddress,
                   int rkey, int immediate, DcRoute target) {
        return VerbsNative.postDc(qp, target.ah(), target.dctNumber(), target.accessKey(), wrId, opcode, flags,
            localAddress, length, lkey, remoteAddress, rkey, immediate);
    }

    @Override
    void reconnect() {
        VerbsNative.modifyQpState(qp, IBV_QPS_RESET);
        connectToRts();
    }

    @Override
    void detach() {
        sendCompletions.attachments().detach();
    }

    @Override
    public String toString() {
        return "DC initiator " + qpNumber;
    }
}
