package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.NicCapabilities;

/**
 * Decides what a device offers the pool. DC needs three things: libmlx5 with DC support, an mlx5 device, and a
 * DC initiator and target that could really be created (firmware and port settings can still refuse). RC
 * queue pairs take their receives from a shared receive queue, so RC needs SRQ support. Datagrams need a UD
 * queue pair that could be created and brought to RTS, which every verbs device normally allows.
 */
public final class CapabilityPolicy {

    private CapabilityPolicy() {
    }

    /**
     * @param device    what the device reports and what the probe found.
     * @param port      the port in use.
     * @param maxInline the inline payload size a queue pair was granted.
     * @return the capabilities.
     */
    public static NicCapabilities decide(DeviceInfo device, PortInfo port, int maxInline) {
        boolean dc = dcUnavailableReason(device) == null;
        boolean rc = device.maxSrqWr() > 0;
        int depth = Math.min(device.maxQueuePairWr(), device.maxCqe());
        if (rc) {
            depth = Math.min(depth, device.maxSrqWr());
        }
        int maxMessage = (int) Math.min(Integer.MAX_VALUE, port.maxMessageSize());
        return new NicCapabilities(dc, rc, maxInline, maxMessage, depth, device.datagramUnsupported() == null);
    }

    /**
     * @param device what the device reports and what the probe found.
     * @return {@code null} when DC works, else why not.
     */
    public static String dcUnavailableReason(DeviceInfo device) {
        if (device.dcUnsupported() != null) {
            return device.dcUnsupported();
        }
        DeviceInfo.DcProbe probe = device.dcProbe();
        if (probe == null) {
            return "DC was not tried on " + device.name();
        }
        if (probe.initiatorError() != null) {
            return "creating a DC initiator failed: " + probe.initiatorError();
        }
        if (probe.targetError() != null) {
            return "creating a DC target failed: " + probe.targetError();
        }
        return null;
    }

    /**
     * @param device a probed device.
     * @return one line for {@code Fabrics.printProbe}: ports, the preferred GID, and what RC, UD and DC can do.
     */
    public static String describe(DeviceInfo device) {
        StringBuilder line = new StringBuilder(device.name());
        line.append(String.format(" (vendor 0x%x part %d)", device.vendorId(), device.vendorPartId()));
        for (PortInfo port : device.ports()) {
            line.append("; port ").append(port.number()).append(port.active() ? " active " : " down ")
                .append(port.ethernet() ? "Ethernet" : "InfiniBand lid " + port.lid())
                .append(" mtu ").append(port.mtuBytes());
            GidSelector.choose(port, -1).ifPresentOrElse(g -> line.append(' ').append(g),
                () -> line.append(" no usable GID"));
        }
        line.append("; RC: ").append(device.maxSrqWr() > 0 ? "yes" : "no (no shared receive queues)");
        line.append("; datagrams: ").append(device.datagramUnsupported() == null ? "yes"
            : "no (" + device.datagramUnsupported() + ")");
        DeviceInfo.DcProbe probe = device.dcProbe();
        if (device.dcUnsupported() != null) {
            line.append("; DC: no (").append(device.dcUnsupported()).append(')');
        } else if (probe != null) {
            line.append("; DC initiators: ").append(probe.initiatorError() == null ? "yes" : "no ("
                + probe.initiatorError() + ")");
            line.append(", DC targets: ").append(probe.targetError() == null ? "yes" : "no ("
                + probe.targetError() + ")");
        }
        return line.toString();
    }
}
