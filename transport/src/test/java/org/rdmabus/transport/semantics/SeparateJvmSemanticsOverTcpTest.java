package org.rdmabus.transport.semantics;

/** The event-bus semantics between JVMs with rdmabus disabled: Vert.x's TCP transport, the reference behaviour. */
class SeparateJvmSemanticsOverTcpTest extends SeparateJvmSemanticsContract {

    @Override
    String provider() {
        return null;
    }
}
