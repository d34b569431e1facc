package org.rdmabus.transport.impl.pool;

/** The event-bus channel over the shared-memory software fabric: peers on this host. */
public final class SoftNodeChannelFactory extends FabricNodeChannelFactory {

    /** Service-loaded. */
    public SoftNodeChannelFactory() {
        super("soft");
    }
}
