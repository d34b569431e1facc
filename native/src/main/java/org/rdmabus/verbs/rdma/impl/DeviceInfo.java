package org.rdmabus.verbs.rdma.impl;

import java.util.List;

/**
 * What a device reports and what the probe found out by trying it.
 *
 * @param name                the device name, such as {@code mlx5_0} or {@code rxe0}.
 * @param vendorId            IEEE vendor id.
 * @param vendorPartId        vendor part id.
 * @param maxQueuePairWr      largest queue pair depth.
 * @param maxCqe              largest completion queue.
 * @param maxSrqWr            largest shared receive queue; 0 when the device has none.
 * @param maxReadsAsTarget    outstanding RDMA READs a queue pair serves ({@code max_qp_rd_atom}).
 * @param maxReadsAsInitiator outstanding RDMA READs a queue pair issues ({@code max_qp_init_rd_atom}).
 * @param ports               the ports.
 * @param dcUnsupported       {@code null} when mlx5 direct verbs support DC on this device, else why not.
 * @param dcProbe             the outcome of creating a DC initiator and target, or {@code null} when not tried.
 * @param datagramUnsupported {@code null} when a UD queue pair could be created and brought to RTS on the first
 *                            active port, else why not.
 */
public record DeviceInfo(String name, int vendorId, int vendorPartId, int maxQueuePairWr, int maxCqe, int maxSrqWr,
                         int maxReadsAsTarget, int maxReadsAsInitiator, List<PortInfo> ports, String dcUnsupported,
                         DcProbe dcProbe, String datagramUnsupported) {

    /** Copies the port list. */
    public DeviceInfo {
        ports = List.copyOf(ports);
    }

    /**
     * @param probe the outcome of trying DC on this device.
     * @return this information with {@code probe} recorded.
     */
    public DeviceInfo withDcProbe(DcProbe probe) {
        return new DeviceInfo(name, vendorId, vendorPartId, maxQueuePairWr, maxCqe, maxSrqWr, maxReadsAsTarget,
            maxReadsAsInitiator, ports, dcUnsupported, probe, datagramUnsupported);
    }

    /**
     * @param unsupported {@code null} if a UD queue pair could be created, else the error.
     * @return this information with the outcome of trying UD recorded.
     */
    public DeviceInfo withDatagramProbe(String unsupported) {
        return new DeviceInfo(name, vendorId, vendorPartId, maxQueuePairWr, maxCqe, maxSrqWr, maxReadsAsTarget,
            maxReadsAsInitiator, ports, dcUnsupported, dcProbe, unsupported);
    }

    /**
     * The outcome of creating one DC initiator and one DC target on the device.
     *
     * @param initiatorError {@code null} if a DCI was created, else the error.
     * @param targetError    {@code null} if a DCT was created, else the error.
     */
    public record DcProbe(String initiatorError, String targetError) {
        /** @return whether both could be created. */
        public boolean works() {
            return initiatorError == null && targetError == null;
        }
    }
}
