package org.rdmabus.transport.impl.pool;

/** The event-bus channel over a real RDMA NIC. */
public final class RdmaNodeChannelFactory extends FabricNodeChannelFactory {

    /** Service-loaded. */
    public RdmaNodeChannelFactory() {
        super("rdma");
    }
}
