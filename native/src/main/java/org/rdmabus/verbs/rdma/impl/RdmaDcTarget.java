package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.TargetAddress;

/** A DC target (mlx5 DCT) in RTR, taking SENDs from a shared receive queue. */
final class RdmaDcTarget implements DcTarget {
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
    public TargetAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (guard.close()) {
            nic.forget(this);
            VerbsNative.destroyQp(qp);
            receives.detach();
            completions.attachments().detach();
        }
    }

    @Override
    public String toString() {
        return "DC target " + address;
    }
}
