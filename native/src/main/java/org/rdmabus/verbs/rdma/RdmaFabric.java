package org.rdmabus.verbs.rdma;

import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.rdma.impl.NativeLibraryLoader;
import org.rdmabus.verbs.rdma.impl.RdmaNic;
import org.rdmabus.verbs.rdma.impl.RdmaProbe;

/**
 * The hardware provider, {@code rdma}: a real RDMA NIC through libibverbs and this module's JNI library.
 * <p>
 * On an mlx5 device whose DC initiators and targets can be created, {@link Nic#createInitiator} and
 * {@link Nic#createTarget} give real DC queue pairs. On other devices (Soft-RoCE included) the NIC reports
 * {@code dynamicallyConnected = false} and offers RC queue pairs over shared receive queues.
 * <p>
 * Constructing it touches no native code; {@link #probe()} and {@link #open(NicOptions)} load the library and
 * report every failure as a {@link org.rdmabus.verbs.FabricUnavailableException} naming the cause.
 */
public final class RdmaFabric implements Fabric {
    /** The provider's name. */
    public static final String NAME = "rdma";
    /** Higher than the software fabric's, so a real NIC wins when both work. */
    public static final int PRIORITY = 100;

    /** Creates the provider; cheap, for {@link java.util.ServiceLoader}. */
    public RdmaFabric() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FabricStatus probe() {
        return RdmaProbe.probe(NativeLibraryLoader.instance());
    }

    @Override
    public Nic open(NicOptions options) {
        return RdmaNic.open(new NicOptions(options), NativeLibraryLoader.instance());
    }

    @Override
    public int priority() {
        return PRIORITY;
    }
}
