package org.rdmabus.verbs.rdma;

import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.conformance.Requirements;

/**
 * For tests that need a real RDMA device: they run inside the Soft-RoCE VM ({@code src/test/vm/rxe-vm.sh})
 * or on a host with a NIC, and skip themselves elsewhere.
 */
public final class VerbsDevice {
    /** The address of the VM's Soft-RoCE interface, or the {@code RXE_VM_ADDR} override. */
    public static final String ADDRESS = System.getenv().getOrDefault("RXE_VM_ADDR", "192.0.2.1");
    /** System property that turns a missing device from a skip into a failure. */
    public static final String REQUIRED_PROPERTY = Requirements.REQUIRED_PROPERTY;
    private static volatile FabricStatus status;

    private VerbsDevice() {
    }

    /** @return the rdma provider's probe, computed once. */
    public static FabricStatus status() {
        FabricStatus current = status;
        if (current == null) {
            current = new RdmaFabric().probe();
            status = current;
        }
        return current;
    }

    /**
     * Skips the calling test unless the rdma provider can open a device here. With
     * {@code -Drdmabus.verbs.required=true} (the VM run) it fails instead, so a broken VM cannot pass by
     * skipping everything.
     */
    public static void assumePresent() {
        FabricStatus current = status();
        Requirements.assumePresent(current.available(),
            () -> "no usable RDMA device: " + current.reason() + ": " + current.detail());
    }
}
