package org.rdmabus.verbs.rdma.impl;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicCapabilities;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.UnavailableReason;
import org.rdmabus.verbs.VerbsException;

/**
 * An opened RDMA device: one protection domain, one port and one GID, and every resource created on them.
 * Resource creation is serialised on this object; closing the NIC closes what is still open, queue pairs and
 * targets first, so verbs never sees a queue destroyed under a user.
 */
public final class RdmaNic implements Nic {
    /** Remote access a queue pair or target grants: WRITE and READ into registered regions. */
    static final int REMOTE_ACCESS = (1 << 1) | (1 << 2);
    private static final Logger LOG = System.getLogger("org.rdmabus.verbs.rdma");
    private static final int[] INLINE_CANDIDATES = {256, 220, 128, 64, 32, 0};
    private static final int MAX_READ_DEPTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceInfo device;
    private final PortInfo port;
    private final GidEntry gid;
    private final long context;
    private final long pd;
    private final NicCapabilities capabilities;
    private final TransportTimeouts timeouts;
    private final SlotTable<RdmaQueuePairBase<?>> queuePairs = new SlotTable<>(WorkRequestIds.MAX_QUEUE_PAIRS);
    private final SlotTable<ReceiveSlots> receiveQueues = new SlotTable<>(WorkRequestIds.MAX_RECEIVE_QUEUES);
    private final Map<Integer, RdmaQueuePairBase<?>> byNumber = new ConcurrentHashMap<>();
    private final Map<TargetAddress, DcRoute> routes = new ConcurrentHashMap<>();
    private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private RdmaNic(DeviceInfo device, PortInfo port, GidEntry gid, long context, long pd, int maxInline,
                    TransportTimeouts timeouts) {
        this.device = device;
        this.port = port;
        this.gid = gid;
        this.context = context;
        this.pd = pd;
        this.capabilities = CapabilityPolicy.decide(device, port, maxInline);
        this.timeouts = timeouts;
    }

    /**
     * Opens the device the options name, or the first usable one.
     *
     * @param options the caller's options.
     * @param loader  where the JNI library comes from.
     * @return the opened NIC.
     * @throws FabricUnavailableException naming why no device can be opened.
     */
    public static RdmaNic open(NicOptions options, NativeLibraryLoader loader) {
        loader.requireVerbs(RdmaLocator.PROVIDER);
        DeviceProbe.Scan scan;
        try {
            scan = DeviceProbe.scan(true);
        } catch (VerbsException e) {
            throw new FabricUnavailableException(RdmaLocator.PROVIDER, UnavailableReason.NO_DEVICE,
                "libibverbs cannot list devices (" + e.getMessage() + "): no RDMA kernel support here");
        }
        DeviceSelection selection = DeviceSelection.select(scan.devices(), options.device(), options.gidIndex());
        if (!selection.chosen()) {
            throw new FabricUnavailableException(RdmaLocator.PROVIDER, selection.reason(),
                selection.detail() + failures(scan));
        }
        long context = VerbsNative.openDevice(selection.device().name());
        long pd = 0;
        try {
            String registrationError = DeviceProbe.tryRegistration(context);
            if (registrationError != null) {
                throw new FabricUnavailableException(RdmaLocator.PROVIDER, UnavailableReason.MEMLOCK_LIMIT,
                    MemlockCheck.problem(VerbsNative.memlockLimit(), registrationError)
                        .orElse("registering memory failed: " + registrationError));
            }
            pd = VerbsNative.allocPd(context);
            int maxInline = grantedInline(context, pd, selection.device());
            TransportTimeouts timeouts = TransportTimeouts.of(options.peerTimeout(), options.rnrTimeout());
            RdmaNic nic = new RdmaNic(selection.device(), selection.port(), selection.gid(), context, pd, maxInline,
                timeouts);
            LOG.log(Level.INFO, "rdma: opened {0}, mtu {1}; {2}; DC: {3}; {4}", selection.detail(),
                String.valueOf(selection.port().mtuBytes()), nic.capabilities,
                nic.capabilities.dynamicallyConnected() ? "yes"
                    : "no, RC queue pairs instead (" + CapabilityPolicy.dcUnavailableReason(selection.device()) + ")",
                timeouts);
            return nic;
        } catch (RuntimeException e) {
            if (pd != 0) {
                VerbsNative.deallocPd(pd);
            }
            VerbsNative.closeDevice(context);
            throw e;
        }
    }

    private static String failures(DeviceProbe.Scan scan) {
        return scan.failures().isEmpty() ? "" : "; devices that could not be opened: " + scan.failures();
    }

    /** Finds the largest inline payload the device grants an RC queue pair. */
    private static int grantedInline(long context, long pd, DeviceInfo device) {
        if (device.maxSrqWr() <= 0) {
            return 0;
        }
        long cq = VerbsNative.createCq(context, 4);
        long srq = 0;
        try {
            srq = VerbsNative.createSrq(pd, 4);
            int[] caps = new int[VerbsNative.QP_CAP_FIELDS];
            for (int candidate : INLINE_CANDIDATES) {
                try {
                    long qp = VerbsNative.createRcQp(pd, cq, cq, srq, 4, candidate, caps);
                    VerbsNative.destroyQp(qp);
                    return Math.min(candidate, caps[VerbsNative.QP_CAP_MAX_INLINE]);
                } catch (VerbsException tooLarge) {
                    // Try a smaller inline size.
                }
            }
            return 0;
        } finally {
            if (srq != 0) {
                VerbsNative.destroySrq(srq);
            }
            VerbsNative.destroyCq(cq);
        }
    }

    @Override
    public String provider() {
        return RdmaLocator.PROVIDER;
    }

    @Override
    public String deviceName() {
        return device.name();
    }

    @Override
    public NicCapabilities capabilities() {
        return capabilities;
    }

    /** @return the GID this NIC's queue pairs use. */
    public GidEntry gid() {
        return gid;
    }

    /** @return the transport timeouts derived from the options. */
    public TransportTimeouts timeouts() {
        return timeouts;
    }

    int port() {
        return port.number();
    }

    int mtu() {
        return port.activeMtu();
    }

    int gidIndex() {
        return gid.index();
    }

    /** @return the port's active MTU in bytes: the largest UD datagram. */
    int mtuBytes() {
        return port.mtuBytes();
    }

    /** @return creates and destroys address handles from this NIC's port and GID to a peer. */
    UdRoutes.Handles addressHandles() {
        return new UdRoutes.Handles() {
            @Override
            public long create(RdmaLocator peer) {
                return VerbsNative.createAh(pd, port.number(), peer.lid(), peer.gid(), global() || peer.global(),
                    gid.index());
            }

            @Override
            public void destroy(long ah) {
                VerbsNative.destroyAh(ah);
            }
        };
    }

    /** RoCE always routes by GID; InfiniBand within a subnet by LID. */
    boolean global() {
        return port.ethernet();
    }

    int readsAsTarget() {
        return Math.max(1, Math.min(MAX_READ_DEPTH, device.maxReadsAsTarget()));
    }

    int readsAsInitiator() {
        return Math.max(1, Math.min(MAX_READ_DEPTH, device.maxReadsAsInitiator()));
    }

    RdmaLocator locator(RdmaLocator.Kind kind, int psn) {
        return new RdmaLocator(kind, port.activeMtu(), port.number(), gid.gid(), psn, port.lid(), global());
    }

    @Override
    public synchronized MemoryRegion allocateRegion(int length, Set<Access> access) {
        checkOpen();
        try {
            return track(new RdmaMemoryRegion(this, pd, length, access));
        } catch (VerbsException e) {
            String memlock = MemlockCheck.problem(VerbsNative.memlockLimit(), e.getMessage()).orElse(null);
            throw memlock == null ? e : new VerbsException("cannot register " + length + " bytes: " + memlock, e);
        }
    }

    @Override
    public synchronized CompletionQueue createCompletionQueue(int capacity) {
        checkOpen();
        checkDepth("completion queue capacity", capacity);
        return track(new RdmaCompletionQueue(this, VerbsNative.createCq(context, capacity), capacity));
    }

    @Override
    public synchronized SharedReceiveQueue createSharedReceiveQueue(int capacity) {
        checkOpen();
        if (device.maxSrqWr() <= 0) {
            throw new UnsupportedOperationException(device.name() + " has no shared receive queues");
        }
        checkDepth("shared receive queue capacity", capacity);
        long srq = VerbsNative.createSrq(pd, capacity);
        try {
            return track(new RdmaSharedReceiveQueue(this, srq, capacity));
        } catch (RuntimeException e) {
            VerbsNative.destroySrq(srq);
            throw e;
        }
    }

    @Override
    public synchronized DcInitiator createInitiator(CompletionQueue completions, int sendQueueDepth) {
        checkOpen();
        requireDc();
        checkDepth("send queue depth", sendQueueDepth);
        RdmaCompletionQueue cq = ownQueue(completions);
        cq.attachments().attach();
        long qp = 0;
        try {
            int[] caps = new int[VerbsNative.QP_CAP_FIELDS];
            qp = VerbsNative.createDci(context, pd, cq.handle(), sendQueueDepth, capabilities.maxInlineData(), caps);
            RdmaDcInitiator initiator = new RdmaDcInitiator(this, qp, cq, sendQueueDepth,
                Math.min(capabilities.maxInlineData(), caps[VerbsNative.QP_CAP_MAX_INLINE]));
            byNumber.put(initiator.queuePairNumber(), initiator);
            return track(initiator);
        } catch (RuntimeException e) {
            if (qp != 0) {
                VerbsNative.destroyQp(qp);
            }
            cq.attachments().detach();
            throw e;
        }
    }

    @Override
    public synchronized DcTarget createTarget(SharedReceiveQueue receives, CompletionQueue completions,
                                              long accessKey) {
        checkOpen();
        requireDc();
        RdmaSharedReceiveQueue srq = ownQueue(receives);
        RdmaCompletionQueue cq = ownQueue(completions);
        cq.attachments().attach();
        try {
            srq.attach(cq);
        } catch (RuntimeException e) {
            cq.attachments().detach();
            throw e;
        }
        try {
            long qp = VerbsNative.createDct(context, pd, cq.handle(), srq.handle(), accessKey, port.number(),
                port.activeMtu(), global(), gid.index(), REMOTE_ACCESS, timeouts.rnrTimerCode());
            RdmaDcTarget target = new RdmaDcTarget(this, qp, accessKey, srq, cq);
            srq.addUser(target);
            return track(target);
        } catch (RuntimeException e) {
            srq.detach(null);
            cq.attachments().detach();
            throw e;
        }
    }

    @Override
    public synchronized ReliableQueuePair createReliableQueuePair(CompletionQueue sendCompletions,
                                                                 SharedReceiveQueue receives,
                                                                 CompletionQueue receiveCompletions,
                                                                 int sendQueueDepth) {
        checkOpen();
        if (!capabilities.reliableConnected()) {
            throw new UnsupportedOperationException(device.name() + " cannot give RC queue pairs their receives"
                + " from a shared receive queue");
        }
        checkDepth("send queue depth", sendQueueDepth);
        RdmaCompletionQueue sendCq = ownQueue(sendCompletions);
        RdmaCompletionQueue receiveCq = ownQueue(receiveCompletions);
        RdmaSharedReceiveQueue srq = ownQueue(receives);
        List<Runnable> undo = new ArrayList<>();
        long qp = 0;
        try {
            sendCq.attachments().attach();
            undo.add(() -> sendCq.attachments().detach());
            receiveCq.attachments().attach();
            undo.add(() -> receiveCq.attachments().detach());
            srq.attach(receiveCq);
            undo.add(() -> srq.detach(null));
            int[] caps = new int[VerbsNative.QP_CAP_FIELDS];
            qp = VerbsNative.createRcQp(pd, sendCq.handle(), receiveCq.handle(), srq.handle(), sendQueueDepth,
                capabilities.maxInlineData(), caps);
            RdmaReliableQueuePair queuePair = new RdmaReliableQueuePair(this, qp, sendCq, srq, receiveCq,
                sendQueueDepth, Math.min(capabilities.maxInlineData(), caps[VerbsNative.QP_CAP_MAX_INLINE]),
                RANDOM.nextInt(1 << 24));
            byNumber.put(queuePair.queuePairNumber(), queuePair);
            return track(queuePair);
        } catch (RuntimeException e) {
            if (qp != 0) {
                VerbsNative.destroyQp(qp);
            }
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw e;
        }
    }

    @Override
    public synchronized DatagramQueuePair createDatagramQueuePair(CompletionQueue sendCompletions,
                                                                  CompletionQueue receiveCompletions,
                                                                  int sendQueueDepth, int receiveQueueDepth,
                                                                  long accessKey) {
        checkOpen();
        if (!capabilities.datagrams()) {
            throw new UnsupportedOperationException(device.name() + " cannot create UD queue pairs ("
                + device.datagramUnsupported() + ")");
        }
        checkDepth("send queue depth", sendQueueDepth);
        checkDepth("receive queue depth", receiveQueueDepth);
        RdmaCompletionQueue sendCq = ownQueue(sendCompletions);
        RdmaCompletionQueue receiveCq = ownQueue(receiveCompletions);
        List<Runnable> undo = new ArrayList<>();
        long qp = 0;
        try {
            sendCq.attachments().attach();
            undo.add(() -> sendCq.attachments().detach());
            receiveCq.attachments().attach();
            undo.add(() -> receiveCq.attachments().detach());
            RdmaMemoryRegion headers = new RdmaMemoryRegion(this, pd,
                mtuBytes() + receiveQueueDepth * VerbsNative.UD_GRH_BYTES, EnumSet.of(Access.LOCAL_WRITE));
            undo.add(headers::close);
            ReceiveSlots receives = new ReceiveSlots(receiveQueueDepth, VerbsNative.UD_GRH_BYTES);
            int receiveSlot = register(receives);
            undo.add(() -> forgetReceives(receiveSlot));
            int[] caps = new int[VerbsNative.QP_CAP_FIELDS];
            qp = createUdQp(sendCq, receiveCq, sendQueueDepth, receiveQueueDepth, caps);
            int psn = RANDOM.nextInt(1 << 24);
            VerbsNative.modifyUdReady(qp, port.number(), QueueKeys.of(accessKey), psn);
            RdmaDatagramQueuePair queuePair = new RdmaDatagramQueuePair(this, qp, sendCq, receiveCq, sendQueueDepth,
                Math.min(capabilities.maxInlineData(), caps[VerbsNative.QP_CAP_MAX_INLINE]), receives, receiveSlot,
                headers, accessKey, psn);
            byNumber.put(queuePair.queuePairNumber(), queuePair);
            return track(queuePair);
        } catch (RuntimeException e) {
            if (qp != 0) {
                VerbsNative.destroyQp(qp);
            }
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw e;
        }
    }

    /** Asks for the RC inline size first; a device that grants UD less inline gets a queue pair without it. */
    private long createUdQp(RdmaCompletionQueue sendCq, RdmaCompletionQueue receiveCq, int sendQueueDepth,
                            int receiveQueueDepth, int[] caps) {
        try {
            return VerbsNative.createUdQp(pd, sendCq.handle(), receiveCq.handle(), sendQueueDepth, receiveQueueDepth,
                capabilities.maxInlineData(), caps);
        } catch (VerbsException inlineRefused) {
            if (capabilities.maxInlineData() == 0) {
                throw inlineRefused;
            }
            return VerbsNative.createUdQp(pd, sendCq.handle(), receiveCq.handle(), sendQueueDepth, receiveQueueDepth,
                0, caps);
        }
    }

    private void requireDc() {
        if (!capabilities.dynamicallyConnected()) {
            throw new UnsupportedOperationException(device.name() + " has no DC transport ("
                + CapabilityPolicy.dcUnavailableReason(device) + "); use reliable queue pairs");
        }
    }

    private void checkDepth(String what, int depth) {
        if (depth < 1 || depth > capabilities.maxQueueDepth()) {
            throw new IllegalArgumentException(what + " must be 1.." + capabilities.maxQueueDepth() + ": " + depth);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the NIC " + device.name() + " is closed");
        }
    }

    private <T> T track(T resource) {
        open.add(resource);
        return resource;
    }

    private <T> T ownQueue(Object queue) {
        if (queue == null) {
            throw new IllegalArgumentException("a queue is required");
        }
        boolean ours;
        synchronized (this) {
            ours = open.contains(queue);
        }
        if (!ours) {
            throw new IllegalArgumentException(queue + " was not created by this NIC, or is closed");
        }
        @SuppressWarnings("unchecked")
        T typed = (T) queue;
        return typed;
    }

    /** @throws IllegalArgumentException unless the region was allocated by this NIC. */
    RdmaMemoryRegion ownRegion(MemoryRegion region) {
        if (region == null) {
            throw new IllegalArgumentException("the work request names no local region");
        }
        if (!(region instanceof RdmaMemoryRegion ours) || ours.nic() != this) {
            throw new IllegalArgumentException("the region was not allocated by this NIC");
        }
        return ours;
    }

    int register(RdmaQueuePairBase<?> queuePair) {
        return queuePairs.add(queuePair);
    }

    int register(ReceiveSlots queue) {
        return receiveQueues.add(queue);
    }

    RdmaQueuePairBase<?> queuePair(int slot) {
        return queuePairs.get(slot);
    }

    ReceiveSlots receiveQueue(int slot) {
        return receiveQueues.get(slot);
    }

    /** A receive failed: on RC the queue pair is now in ERROR. Completion path, failures only. */
    void receiveFailed(int queuePairNumber) {
        RdmaQueuePairBase<?> queuePair = byNumber.get(queuePairNumber);
        if (queuePair != null) {
            queuePair.receiveFailed();
        }
    }

    /** @return the route to a DC target, creating its address handle on first use. */
    DcRoute route(TargetAddress target) {
        DcRoute route = routes.get(target);
        if (route != null) {
            return route;
        }
        RdmaLocator locator = RdmaLocator.of(target);
        if (locator.kind() != RdmaLocator.Kind.DC) {
            throw new IllegalArgumentException(target + " is not a DC target");
        }
        synchronized (this) {
            checkOpen();
            return routes.computeIfAbsent(target, t -> new DcRoute(VerbsNative.createAh(pd, port.number(),
                locator.lid(), locator.gid(), locator.global(), gid.index()), t.targetNumber(), t.accessKey()));
        }
    }

    synchronized void forget(Object resource) {
        open.remove(resource);
    }

    synchronized void forget(RdmaQueuePairBase<?> queuePair, int slot) {
        open.remove(queuePair);
        byNumber.remove(queuePair.queuePairNumber(), queuePair);
        queuePairs.remove(slot);
    }

    /** Takes a receive queue's buffers off the completion path: later completions of theirs are dropped. */
    synchronized void forgetReceives(int slot) {
        receiveQueues.remove(slot);
    }

    @Override
    public void close() {
        List<Object> resources;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            resources = new ArrayList<>(open);
        }
        closeAll(resources, RdmaQueuePairBase.class);
        closeAll(resources, RdmaDcTarget.class);
        closeAll(resources, RdmaSharedReceiveQueue.class);
        closeAll(resources, RdmaCompletionQueue.class);
        closeAll(resources, RdmaMemoryRegion.class);
        for (DcRoute route : routes.values()) {
            VerbsNative.destroyAh(route.ah());
        }
        routes.clear();
        VerbsNative.deallocPd(pd);
        VerbsNative.closeDevice(context);
    }

    private static void closeAll(List<Object> resources, Class<? extends AutoCloseable> type) {
        for (Object resource : resources) {
            if (type.isInstance(resource)) {
                try {
                    ((AutoCloseable) resource).close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "rdma: closing " + resource + " failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "rdma NIC " + device.name() + " port " + port.number() + " " + gid;
    }
}
