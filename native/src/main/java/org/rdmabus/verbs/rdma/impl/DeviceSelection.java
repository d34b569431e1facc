package org.rdmabus.verbs.rdma.impl;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.rdmabus.verbs.UnavailableReason;

/**
 * Picks the device, port and GID a NIC uses from what the probe saw, or says why none fits. Pure logic, so
 * every refusal is unit-tested without a device.
 *
 * @param device  the chosen device, or {@code null} when refused.
 * @param port    the chosen port, or {@code null} when refused.
 * @param gid     the chosen GID, or {@code null} when refused.
 * @param reason  why nothing fits, or {@code null} when chosen.
 * @param detail  what was chosen, or what was found and what to do.
 */
public record DeviceSelection(DeviceInfo device, PortInfo port, GidEntry gid, UnavailableReason reason,
                              String detail) {

    /** @return whether a device was chosen. */
    public boolean chosen() {
        return reason == null;
    }

    /**
     * @param devices        every device the probe saw.
     * @param wantedDevice   a device name, or {@code null} for the first usable one.
     * @param requestedGid   a GID index, or -1 to let {@link GidSelector} choose.
     * @return the choice or the refusal.
     */
    public static DeviceSelection select(List<DeviceInfo> devices, String wantedDevice, int requestedGid) {
        if (devices.isEmpty()) {
            return refuse(UnavailableReason.NO_DEVICE, "no RDMA device: libibverbs lists none (no NIC, or its"
                + " kernel driver is not loaded); without a NIC, Soft-RoCE gives one: modprobe rdma_rxe &&"
                + " rdma link add rxe0 type rxe netdev <if>");
        }
        List<DeviceInfo> candidates = wantedDevice == null ? devices
            : devices.stream().filter(d -> d.name().equals(wantedDevice)).toList();
        if (candidates.isEmpty()) {
            return refuse(UnavailableReason.NO_DEVICE, "no RDMA device named '" + wantedDevice + "'; present: "
                + devices.stream().map(DeviceInfo::name).toList());
        }
        String activeWithoutGid = null;
        for (DeviceInfo device : candidates) {
            for (PortInfo port : device.ports()) {
                if (!port.active()) {
                    continue;
                }
                Optional<GidEntry> gid = GidSelector.choose(port, requestedGid);
                if (gid.isPresent()) {
                    return new DeviceSelection(device, port, gid.get(), null, device.name() + " port " + port.number()
                        + " " + gid.get() + (requestedGid >= 0 ? " (requested)" : " (preferred)"));
                }
                if (activeWithoutGid == null) {
                    activeWithoutGid = device.name() + " port " + port.number();
                }
            }
        }
        if (activeWithoutGid != null) {
            String why = requestedGid >= 0 ? "GID index " + requestedGid + " is empty on " + activeWithoutGid
                : activeWithoutGid + " is active but has no usable GID";
            return refuse(UnavailableReason.NO_USABLE_GID, why + " (RoCE needs an IP address on the port's network"
                + " interface; list GIDs with: rdma link, ibv_devinfo -v)");
        }
        return refuse(UnavailableReason.NO_DEVICE, "no active port on " + candidates.stream()
            .map(DeviceInfo::name).toList() + " (link down? check: ibv_devinfo, rdma link)");
    }

    private static DeviceSelection refuse(UnavailableReason reason, String detail) {
        return new DeviceSelection(null, null, null, Objects.requireNonNull(reason), detail);
    }
}
