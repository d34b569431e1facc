package org.rdmabus.transport.semantics;

/** The event-bus semantics with rdmabus disabled: Vert.x's TCP transport, the reference behaviour. */
class EventBusSemanticsOverTcpTest extends EventBusSemanticsContract {

    @Override
    boolean overChannel() {
        return false;
    }
}
