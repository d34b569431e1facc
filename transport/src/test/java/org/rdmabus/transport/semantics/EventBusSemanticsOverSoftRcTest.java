package org.rdmabus.transport.semantics;

import org.rdmabus.pool.TransportService;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.testing.TestCluster;

/**
 * The event-bus semantics over the pool's RC transport on the software fabric: every node connected at first
 * contact from the warm reserve of RC queue pairs, over datagrams. It is the code that carries the event bus on
 * devices without DC (Soft-RoCE, most NICs), run where no NIC is needed.
 */
class EventBusSemanticsOverSoftRcTest extends EventBusSemanticsContract {

    @Override
    boolean overChannel() {
        return true;
    }

    @Override
    RdmaEventBusOptions rdmabusOptions() {
        return TestCluster.rdmabusOn().setProvider("soft").setTransportService(TransportService.RC);
    }
}
