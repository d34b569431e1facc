package org.rdmabus.verbs.rdma;

import org.junit.jupiter.api.BeforeAll;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.conformance.FabricConformanceTest;

/**
 * Runs the provider conformance suite against the {@code rdma} provider on a real device: Soft-RoCE in the
 * VM (where only the reliable-queue-pair tests apply, as it has no DC) or an RDMA NIC. Skipped elsewhere.
 */
class RdmaConformanceTest extends FabricConformanceTest {

    @BeforeAll
    static void requireDevice() {
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
}
