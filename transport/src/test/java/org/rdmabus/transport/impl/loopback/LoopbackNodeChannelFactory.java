package org.rdmabus.transport.impl.loopback;

import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NodeChannelFactory;

/**
 * Service-loaded on the test class path: provider {@code loopback}, used only where named. {@code auto} never picks it:
 * it reaches no other JVM, and the tests that start apps with the defaults must see what a user's app sees.
 */
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
    public boolean offeredToAuto() {
        return false;
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
