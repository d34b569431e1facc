package org.rdmabus.transport.semantics;

import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.testing.TestCluster;

/**
 * The event-bus semantics with rdmabus on over the real channel: the warm QP pool on the shared-memory software
 * fabric, with its completion pollers, segmentation of large bodies and credits.
 */
class EventBusSemanticsOverSoftFabricTest extends EventBusSemanticsContract {

    @Override
    boolean overChannel() {
        return true;
    }

    @Override
    RdmaEventBusOptions rdmabusOptions() {
        return TestCluster.rdmabusOn().setProvider("soft");
    }
}
