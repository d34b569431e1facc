package org.rdmabus.verbs.rdma;

import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.conformance.FabricConformanceTest;

/**
 * Runs the provider conformance suite against the {@code rdma} provider on a real device: Soft-RoCE in the VM
 * (every test over RC; the DC variants and DC-only tests are reported not applicable, as it has no DC) or an RDMA
 * NIC. Elsewhere every test is skipped (failed with {@code -Drdmabus.verbs.required=true}).
 */
class RdmaConformanceTest extends FabricConformanceTest {

    @Override
    protected void assumeProviderPresent() {
        VerbsDevice.assumePresent();
    }

    @Override
    protected NicOptions nicOptions() {
        return new NicOptions().provider(RdmaFabric.NAME).rnrTimeout(RNR_TIMEOUT).peerTimeout(PEER_TIMEOUT);
    }

    /** A real NIC cannot be made to look dead without taking the port down for everyone. */
    @Override
    protected boolean makeTargetLookDead(DcTarget deadTarget) {
        return false;
    }

    /** A real NIC cannot be made to look dead without taking the port down for everyone. */
    @Override
    protected boolean makePeerLookDead(ReliableQueuePair deadPeer) {
        return false;
    }
}
