package org.rdmabus.transport.impl.loopback;

import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NodeChannelFactory;

/** Service-loaded on the test class path: provider {@code loopback}, chosen by {@code auto} when nothing else exists. */
public final class LoopbackNodeChannelFactory implements NodeChannelFactory {

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public NodeChannel create(RdmaEventBusOptions options) {
        return new LoopbackNodeChannel(LoopbackFabric.shared());
    }
}
