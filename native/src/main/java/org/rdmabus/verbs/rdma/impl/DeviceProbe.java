package org.rdmabus.verbs.rdma.impl;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.VerbsException;

/**
 * Reads what libibverbs reports about every device, and tries what cannot be read: whether a DC initiator and
 * a DC target can really be created, whether a UD queue pair can, and whether memory can be registered. Every device is opened and closed
 * again; nothing is left allocated.
 */
final class DeviceProbe {
    private static final int PORT_ACTIVE = 4;
    private static final int LINK_LAYER_ETHERNET = 2;
    private static final int MAX_GIDS = 256;
    private static final int PROBE_DEPTH = 16;

    private DeviceProbe() {
    }

    /**
     * @param tryDc whether to create a DC initiator and target on devices that claim DC support.
     * @return the devices that could be opened, and why the others could not.
     * @throws VerbsException if libibverbs cannot list devices at all.
     */
    static Scan scan(boolean tryDc) {
        List<DeviceInfo> devices = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : VerbsNative.deviceNames()) {
            long context;
            try {
                context = VerbsNative.openDevice(name);
            } catch (VerbsException e) {
                failures.add(name + ": " + e.getMessage());
                continue;
            }
            try {
                DeviceInfo info = query(name, context);
                info = info.withDatagramProbe(tryDatagrams(context, info));
                if (tryDc && info.dcUnsupported() == null) {
                    info = info.withDcProbe(tryDc(context, info));
                }
                devices.add(info);
            } catch (VerbsException e) {
                failures.add(name + ": " + e.getMessage());
            } finally {
                VerbsNative.closeDevice(context);
            }
        }
        return new Scan(devices, failures);
    }

    /**
     * @param name    the device's name.
     * @param context the open device.
     * @return what it reports.
     */
    static DeviceInfo query(String name, long context) {
        long[] device = new long[VerbsNative.DEVICE_FIELDS];
        VerbsNative.queryDevice(context, device);
        List<PortInfo> ports = new ArrayList<>();
        long[] port = new long[VerbsNative.PORT_FIELDS];
        byte[] gid = new byte[GidEntry.LENGTH];
        for (int number = 1; number <= device[VerbsNative.DEVICE_PORT_COUNT]; number++) {
            VerbsNative.queryPort(context, number, port);
            List<GidEntry> gids = new ArrayList<>();
            int tableLength = (int) Math.min(MAX_GIDS, port[VerbsNative.PORT_GID_TABLE_LENGTH]);
            for (int index = 0; index < tableLength; index++) {
                GidType type = GidType.ofCode(VerbsNative.queryGid(context, number, index, gid));
                if (type != null) {
                    GidEntry entry = new GidEntry(index, type, gid);
                    if (!entry.isZero()) {
                        gids.add(entry);
                    }
                }
            }
            ports.add(new PortInfo(number, port[VerbsNative.PORT_STATE] == PORT_ACTIVE,
                (int) port[VerbsNative.PORT_ACTIVE_MTU], (int) port[VerbsNative.PORT_LID],
                port[VerbsNative.PORT_LINK_LAYER] == LINK_LAYER_ETHERNET, port[VerbsNative.PORT_MAX_MESSAGE_SIZE],
                gids));
        }
        return new DeviceInfo(name, (int) device[VerbsNative.DEVICE_VENDOR_ID],
            (int) device[VerbsNative.DEVICE_VENDOR_PART_ID], (int) device[VerbsNative.DEVICE_MAX_QP_WR],
            (int) device[VerbsNative.DEVICE_MAX_CQE], (int) device[VerbsNative.DEVICE_MAX_SRQ_WR],
            (int) device[VerbsNative.DEVICE_MAX_QP_RD_ATOM], (int) device[VerbsNative.DEVICE_MAX_QP_INIT_RD_ATOM],
            ports, VerbsNative.dcUnsupportedReason(context), null, "UD queue pairs were not tried on " + name);
    }

    /** Creates a UD queue pair, brings it to RTS on the first active port and destroys it. */
    private static String tryDatagrams(long context, DeviceInfo info) {
        Optional<PortInfo> port = info.ports().stream().filter(PortInfo::active).findFirst();
        if (port.isEmpty()) {
            return "no active port";
        }
        long pd = 0;
        long cq = 0;
        long qp = 0;
        try {
            pd = VerbsNative.allocPd(context);
            cq = VerbsNative.createCq(context, PROBE_DEPTH);
            qp = VerbsNative.createUdQp(pd, cq, cq, PROBE_DEPTH, PROBE_DEPTH, 0,
                new int[VerbsNative.QP_CAP_FIELDS]);
            VerbsNative.modifyUdReady(qp, port.get().number(), QueueKeys.of(0), 0);
            return null;
        } catch (VerbsException e) {
            return e.getMessage();
        } finally {
            if (qp != 0) {
                VerbsNative.destroyQp(qp);
            }
            if (cq != 0) {
                VerbsNative.destroyCq(cq);
            }
            if (pd != 0) {
                VerbsNative.deallocPd(pd);
            }
        }
    }

    /** Creates, connects and destroys one DC initiator and one DC target. */
    private static DeviceInfo.DcProbe tryDc(long context, DeviceInfo info) {
        Optional<PortInfo> port = info.ports().stream().filter(PortInfo::active).findFirst();
        if (port.isEmpty()) {
            return new DeviceInfo.DcProbe("no active port", "no active port");
        }
        Optional<GidEntry> gid = GidSelector.choose(port.get(), -1);
        int gidIndex = gid.map(GidEntry::index).orElse(0);
        boolean global = port.get().ethernet();
        TransportTimeouts timeouts = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT,
            NicOptions.DEFAULT_RNR_TIMEOUT);
        long pd = 0;
        long cq = 0;
        long srq = 0;
        String initiatorError;
        String targetError;
        try {
            pd = VerbsNative.allocPd(context);
            cq = VerbsNative.createCq(context, PROBE_DEPTH);
            srq = VerbsNative.createSrq(pd, PROBE_DEPTH);
            initiatorError = tryInitiator(context, pd, cq, port.get(), global, gidIndex, timeouts);
            targetError = tryTarget(context, pd, cq, srq, port.get(), global, gidIndex, timeouts);
        } catch (VerbsException e) {
            initiatorError = e.getMessage();
            targetError = e.getMessage();
        } finally {
            if (srq != 0) {
                VerbsNative.destroySrq(srq);
            }
            if (cq != 0) {
                VerbsNative.destroyCq(cq);
            }
            if (pd != 0) {
                VerbsNative.deallocPd(pd);
            }
        }
        return new DeviceInfo.DcProbe(initiatorError, targetError);
    }

    private static String tryInitiator(long context, long pd, long cq, PortInfo port, boolean global, int gidIndex,
                                       TransportTimeouts timeouts) {
        long dci = 0;
        try {
            dci = VerbsNative.createDci(context, pd, cq, PROBE_DEPTH, 0, new int[VerbsNative.QP_CAP_FIELDS]);
            VerbsNative.connectDci(dci, port.number(), port.activeMtu(), global, gidIndex, timeouts.ackTimeoutCode(),
                timeouts.retryCount(), timeouts.rnrRetry(), 1);
            return null;
        } catch (VerbsException e) {
            return e.getMessage();
        } finally {
            if (dci != 0) {
                VerbsNative.destroyQp(dci);
            }
        }
    }

    private static String tryTarget(long context, long pd, long cq, long srq, PortInfo port, boolean global,
                                    int gidIndex, TransportTimeouts timeouts) {
        try {
            long dct = VerbsNative.createDct(context, pd, cq, srq, 0x5eed, port.number(), port.activeMtu(), global,
                gidIndex, RdmaNic.REMOTE_ACCESS, timeouts.rnrTimerCode());
            VerbsNative.destroyQp(dct);
            return null;
        } catch (VerbsException e) {
            return e.getMessage();
        }
    }

    /**
     * Registers and deregisters {@link MemlockCheck#TRIAL_BYTES} on a device.
     *
     * @param context the open device.
     * @return {@code null} if registration works, else the error.
     */
    static String tryRegistration(long context) {
        long pd = 0;
        long mr = 0;
        ByteBuffer memory = DirectMemory.allocateAligned(MemlockCheck.TRIAL_BYTES, 4096);
        try {
            pd = VerbsNative.allocPd(context);
            mr = VerbsNative.regMr(pd, DirectMemory.address(memory), MemlockCheck.TRIAL_BYTES,
                RdmaMemoryRegion.flags(EnumSet.allOf(Access.class)));
            return null;
        } catch (VerbsException e) {
            return e.getMessage();
        } finally {
            if (mr != 0) {
                VerbsNative.deregMr(mr);
            }
            if (pd != 0) {
                VerbsNative.deallocPd(pd);
            }
            // The memory must outlive its registration, not just the address computation.
            Reference.reachabilityFence(memory);
        }
    }

    /**
     * @param devices  the devices that could be opened.
     * @param failures one line per device that could not, with the reason.
     */
    record Scan(List<DeviceInfo> devices, List<String> failures) {
    }
}
