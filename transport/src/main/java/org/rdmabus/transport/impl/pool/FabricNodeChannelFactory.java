package org.rdmabus.transport.impl.pool;

import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NodeChannelFactory;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.NicOptions;

/**
 * Creates {@link PoolNodeChannel}s over one fabric provider. One subclass per provider is service-loaded, so
 * {@code provider=soft|rdma} picks the fabric and {@code auto} the best one that works here.
 */
abstract class FabricNodeChannelFactory implements NodeChannelFactory {
    private final String fabricName;

    FabricNodeChannelFactory(String fabricName) {
        this.fabricName = fabricName;
    }

    @Override
    public String name() {
        return fabricName;
    }

    @Override
    public int priority() {
        Fabric fabric = fabric();
        return fabric == null ? Integer.MIN_VALUE : fabric.priority();
    }

    @Override
    public String unavailableReason() {
        Fabric fabric = fabric();
        if (fabric == null) {
            return "the '" + fabricName + "' fabric is not on the class path";
        }
        FabricStatus status = fabric.probe();
        return status.available() ? null : status.reason() + ": " + status.detail();
    }

    @Override
    public NodeChannel create(RdmaEventBusOptions options) {
        return new PoolNodeChannel(nicOptions(), options);
    }

    /**
     * How this provider's NIC is opened for the event bus.
     *
     * @return new options naming this provider
     */
    NicOptions nicOptions() {
        return new NicOptions().provider(fabricName);
    }

    private Fabric fabric() {
        try {
            return Fabrics.byName(fabricName);
        } catch (FabricUnavailableException e) {
            return null;
        }
    }
}
