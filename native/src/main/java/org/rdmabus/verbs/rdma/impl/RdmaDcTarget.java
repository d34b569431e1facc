package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;

/** A DC target (mlx5 DCT) in RTR, taking SENDs from a shared receive queue. */
final class RdmaDcTarget implements DcTarget, ReceiveQueueUser {
    private final RdmaNic nic;
    private final long qp;
    private final TargetAddress address;
    private final RdmaSharedReceiveQueue receives;
    private final RdmaCompletionQueue completions;
    private final UseGuard guard = new UseGuard();

    RdmaDcTarget(RdmaNic nic, long qp, long accessKey, RdmaSharedReceiveQueue receives,
                 RdmaCompletionQueue completions) {
        this.nic = nic;
        this.qp = qp;
        this.receives = receives;
        this.completions = completions;
        this.address = nic.locator(RdmaLocator.Kind.DC, 0).toAddress(VerbsNative.qpNumber(qp), accessKey);
    }

    @Override
    public void receiveQueueClosed() {
        try {
            VerbsNative.modifyQpState(qp, RdmaQueuePairBase.IBV_QPS_ERR);
        } catch (VerbsException e) {
            // Not every device lets a DCT enter ERROR; then it keeps its posted buffers until it is closed.
            System.getLogger("org.rdmabus.verbs.rdma").log(System.Logger.Level.WARNING,
                "rdma: cannot stop " + this + " after its receive queue closed: " + e.getMessage());
        }
    }

    @Override
    public TargetAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (guard.close()) {
            nic.forget(this);
            VerbsNative.destroyQp(qp);
            receives.detach(this);
            completions.attachments().detach();
        }
    }

    @Override
    public String toString() {
        return "DC target " + address;
    }
}
