package org.rdmabus.verbs.rdma.impl;

import java.util.List;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.UnavailableReason;
import org.rdmabus.verbs.VerbsException;

/**
 * The {@code rdma} provider's probe: loads the library, lists and tries every device, and either names the
 * device, port and GID {@code open} would use, or the reason it would fail. Never throws.
 */
public final class RdmaProbe {

    private RdmaProbe() {
    }

    /**
     * @param loader where the JNI library comes from.
     * @return the status, listing every device seen.
     */
    public static FabricStatus probe(NativeLibraryLoader loader) {
        NativeLibraryLoader.Outcome library = loader.loadVerbs();
        if (!library.loaded()) {
            return FabricStatus.unavailable(RdmaLocator.PROVIDER, library.reason(), library.detail());
        }
        DeviceProbe.Scan scan;
        try {
            scan = DeviceProbe.scan(true);
        } catch (VerbsException e) {
            return FabricStatus.unavailable(RdmaLocator.PROVIDER, UnavailableReason.NO_DEVICE,
                "libibverbs cannot list devices (" + e.getMessage() + "): this kernel has no RDMA support");
        }
        List<String> lines = scan.devices().stream().map(CapabilityPolicy::describe).toList();
        DeviceSelection selection = DeviceSelection.select(scan.devices(), null, -1);
        if (!selection.chosen()) {
            String failures = scan.failures().isEmpty() ? "" : "; could not open: " + scan.failures();
            return new FabricStatus(RdmaLocator.PROVIDER, false, selection.reason(), selection.detail() + failures,
                lines);
        }
        String registrationError;
        long context = VerbsNative.openDevice(selection.device().name());
        try {
            registrationError = DeviceProbe.tryRegistration(context);
        } finally {
            VerbsNative.closeDevice(context);
        }
        long memlock = VerbsNative.memlockLimit();
        if (registrationError != null) {
            String detail = MemlockCheck.problem(memlock, registrationError)
                .orElse("registering memory on " + selection.device().name() + " failed: " + registrationError);
            return new FabricStatus(RdmaLocator.PROVIDER, false, UnavailableReason.MEMLOCK_LIMIT, detail, lines);
        }
        String dc = CapabilityPolicy.dcUnavailableReason(selection.device());
        String datagrams = selection.device().datagramUnsupported();
        return FabricStatus.available(RdmaLocator.PROVIDER, "would open " + selection.detail() + "; DC: "
            + (dc == null ? "yes" : "no, RC instead (" + dc + ")") + "; datagrams: "
            + (datagrams == null ? "yes" : "no (" + datagrams + ")") + "; locked-memory limit "
            + MemlockCheck.describe(memlock), lines);
    }
}
