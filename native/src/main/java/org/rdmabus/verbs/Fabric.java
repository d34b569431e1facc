package org.rdmabus.verbs;

/**
 * An RDMA provider: the software fabric over shared memory ({@code soft}) or a real NIC ({@code rdma}).
 * <p>
 * Providers are found with {@link java.util.ServiceLoader}; {@link Fabrics} chooses among them. A provider
 * must be cheap to construct and must never fail at class load: all environment checks happen in
 * {@link #probe()} and {@link #open(NicOptions)}.
 */
public interface Fabric {

    /** @return the provider's short name, such as {@code soft} or {@code rdma}. */
    String name();

    /**
     * Checks whether this provider can open a NIC on this host, without opening one.
     *
     * @return whether it is usable and, if not, the reason and what to do about it.
     */
    FabricStatus probe();

    /**
     * Opens a device.
     *
     * @param options which device and how it behaves.
     * @return an opened NIC; the caller closes it.
     * @throws FabricUnavailableException when the provider cannot run here, naming the cause.
     */
    Nic open(NicOptions options);

    /**
     * The order in which {@link Fabrics#open(NicOptions)} tries providers when none is named: the
     * highest available priority wins, so hardware beats the software fabric.
     *
     * @return this provider's priority.
     */
    int priority();
}
