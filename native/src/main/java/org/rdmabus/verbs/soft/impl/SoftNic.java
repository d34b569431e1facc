package org.rdmabus.verbs.soft.impl;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;
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
 * A software RDMA NIC over shared memory. It owns a control segment ({@link NicSegment}) that peers map to find
 * its targets and regions, a file per region, receive queue and completion queue, a cache of the peers it has
 * posted to, and one agent thread ({@link NicAgent}).
 * <p>
 * Unmapping is the one hazard of shared memory: a thread still copying through a mapping that another thread
 * unmaps would crash the JVM. Every copy therefore runs under the read side of {@link #guard()}, and everything
 * that unmaps takes its write side.
 */
public final class SoftNic implements Nic {
    /** The provider's name. */
    public static final String PROVIDER = "soft";
    /** The largest SEND payload carried inline. */
    public static final int MAX_INLINE_DATA = 256;
    /** The largest payload of one work request. */
    public static final int MAX_MESSAGE_SIZE = 1 << 30;
    /** The largest queue. */
    public static final int MAX_QUEUE_DEPTH = 1 << 16;
    private static final System.Logger LOG = System.getLogger(SoftNic.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MIN_HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String deviceName;
    private final Path directory;
    private final SegmentFiles files;
    private final MappedFile control;
    private final NicSegment segment;
    private final byte[] locator;
    private final long rnrTimeoutNanos;
    private final long peerTimeoutNanos;
    private final NicCapabilities capabilities =
        new NicCapabilities(true, true, MAX_INLINE_DATA, MAX_MESSAGE_SIZE, MAX_QUEUE_DEPTH, true);
    private final StampedLock guard = new StampedLock();
    private final PeerCache peers = new PeerCache(this);
    private final NicAgent agent;
    private final ResourceIds regionIds = new ResourceIds("memory regions");
    private final ResourceIds targetIds = new ResourceIds("targets and reliable queue pairs");
    private final ResourceIds receiveQueueIds = new ResourceIds("shared receive queues");
    private final ResourceIds completionQueueIds = new ResourceIds("completion queues");
    private final AtomicReferenceArray<SoftSharedReceiveQueue> receiveQueues =
        new AtomicReferenceArray<>(ResourceIds.MAX_SLOTS);
    private final List<SoftMemoryRegion> regions = new ArrayList<>();
    private final List<SoftCompletionQueue> completionQueues = new ArrayList<>();
    private final List<SoftDcTarget> targets = new ArrayList<>();
    private final List<SoftQueuePair> queuePairs = new ArrayList<>();
    private final List<MappedFile> retiredMappings = new CopyOnWriteArrayList<>();
    private final Runnable onClose;
    private volatile boolean closed;

    private SoftNic(String deviceName, Path directory, NicOptions options, Runnable onClose) {
        this.deviceName = deviceName;
        this.directory = directory;
        this.onClose = onClose;
        this.rnrTimeoutNanos = options.rnrTimeout().toNanos();
        this.peerTimeoutNanos = options.peerTimeout().toNanos();
        ProcessIdentity self = ProcessIdentity.current();
        this.files = SegmentFiles.of(directory, self.pid(), RANDOM.nextLong() & Long.MAX_VALUE);
        this.locator = files.base().getBytes(StandardCharsets.UTF_8);
        this.control = MappedFile.create(files.control(), NicSegment.LENGTH);
        this.segment = new NicSegment(control.buffer());
        long heartbeat = Math.max(MIN_HEARTBEAT_NANOS, Math.min(MAX_HEARTBEAT_NANOS, peerTimeoutNanos / 5));
        segment.initialise(self, heartbeat, System.nanoTime());
        this.agent = new NicAgent(this, heartbeat);
    }

    /**
     * Opens a soft NIC: checks the directory, removes crashed processes' files, creates this NIC's segment and
     * starts its agent.
     *
     * @param options the options.
     * @param onClose run once when the NIC closes (the fabric's bookkeeping).
     * @return the NIC.
     * @throws FabricUnavailableException if the shared-memory directory is unusable.
     */
    public static SoftNic open(NicOptions options, Runnable onClose) {
        String device = options.device() == null ? "soft0" : options.device();
        if (!device.startsWith(PROVIDER)) {
            throw new FabricUnavailableException(PROVIDER, UnavailableReason.NO_DEVICE,
                "no soft device named '" + device + "'; use soft0 or leave the device unset");
        }
        Path directory = SharedMemoryDirectory.resolve(options);
        String problem = SharedMemoryDirectory.prepare(directory);
        if (problem != null) {
            throw new FabricUnavailableException(PROVIDER, UnavailableReason.SHARED_MEMORY_UNAVAILABLE, problem);
        }
        int removed = StaleSegmentSweeper.sweep(directory);
        if (removed > 0) {
            LOG.log(Level.INFO, "removed " + removed + " shared-memory files left by crashed processes in " + directory);
        }
        SoftNic nic;
        try {
            nic = new SoftNic(device, directory, options, onClose);
        } catch (VerbsException e) {
            throw new FabricUnavailableException(PROVIDER, UnavailableReason.SHARED_MEMORY_UNAVAILABLE, e.getMessage());
        }
        nic.agent.start();
        return nic;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public NicCapabilities capabilities() {
        return capabilities;
    }

    /** @return the directory holding this NIC's files. */
    public Path directory() {
        return directory;
    }

    /** @return the control segment's file. */
    public Path controlFile() {
        return files.control();
    }

    @Override
    public synchronized MemoryRegion allocateRegion(int length, Set<Access> access) {
        checkOpen();
        if (length <= 0) {
            throw new IllegalArgumentException("a region's length must be positive: " + length);
        }
        Objects.requireNonNull(access, "access");
        int rkey = regionIds.allocate();
        MappedFile file;
        try {
            file = MappedFile.create(files.region(rkey), length);
        } catch (VerbsException e) {
            regionIds.release(rkey);
            throw e;
        }
        SoftMemoryRegion region = new SoftMemoryRegion(this, rkey, access, file);
        regions.add(region);
        segment.publishRegion(rkey, region.accessBits(), length, region.baseAddress());
        return region;
    }

    @Override
    public synchronized CompletionQueue createCompletionQueue(int capacity) {
        checkOpen();
        checkDepth(capacity, "completion queue capacity");
        int id = completionQueueIds.allocate();
        MappedFile file;
        try {
            file = MappedFile.create(files.completionQueue(id), CompletionRecord.ringFileLength(capacity));
        } catch (VerbsException e) {
            completionQueueIds.release(id);
            throw e;
        }
        SoftCompletionQueue queue = new SoftCompletionQueue(this, id, capacity, file);
        completionQueues.add(queue);
        return queue;
    }

    @Override
    public synchronized SharedReceiveQueue createSharedReceiveQueue(int capacity) {
        checkOpen();
        checkDepth(capacity, "shared receive queue capacity");
        int id = receiveQueueIds.allocate();
        MappedFile file;
        try {
            file = MappedFile.create(files.receiveQueue(id), ReceiveQueueLayout.fileLength(capacity));
        } catch (VerbsException e) {
            receiveQueueIds.release(id);
            throw e;
        }
        SoftSharedReceiveQueue queue = new SoftSharedReceiveQueue(this, id, capacity, file);
        receiveQueues.set(ResourceIds.slotOf(id), queue);
        return queue;
    }

    @Override
    public synchronized DcInitiator createInitiator(CompletionQueue completions, int sendQueueDepth) {
        checkOpen();
        checkDepth(sendQueueDepth, "send queue depth");
        SendQueue queue = new SendQueue(this, ownQueue(completions), sendQueueDepth, MAX_INLINE_DATA);
        SoftDcInitiator initiator = new SoftDcInitiator(this, queue);
        queuePairs.add(initiator);
        agent.add(queue);
        return initiator;
    }

    @Override
    public synchronized DcTarget createTarget(SharedReceiveQueue receives, CompletionQueue completions, long accessKey) {
        checkOpen();
        SoftSharedReceiveQueue srq = ownReceiveQueue(receives);
        SoftCompletionQueue cq = ownQueue(completions);
        int number = targetIds.allocate();
        srq.attach(cq);
        SoftDcTarget target = new SoftDcTarget(this, number, new TargetAddress(PROVIDER, locator, number, accessKey));
        targets.add(target);
        segment.publishTarget(number, NicSegment.KIND_DC_TARGET, accessKey, srq.id(), cq.id());
        return target;
    }

    @Override
    public synchronized DatagramQueuePair createDatagramQueuePair(CompletionQueue sendCompletions,
                                                                  CompletionQueue receiveCompletions,
                                                                  int sendQueueDepth, int receiveQueueDepth,
                                                                  long accessKey) {
        SharedReceiveQueue receives = createSharedReceiveQueue(receiveQueueDepth);
        DcInitiator initiator = null;
        try {
            initiator = createInitiator(sendCompletions, sendQueueDepth);
            DcTarget target = createTarget(receives, receiveCompletions, accessKey);
            return new SoftDatagramQueuePair(initiator, target, receives);
        } catch (RuntimeException e) {
            if (initiator != null) {
                initiator.close();
            }
            receives.close();
            throw e;
        }
    }

    @Override
    public synchronized ReliableQueuePair createReliableQueuePair(CompletionQueue sendCompletions,
                                                                  SharedReceiveQueue receives,
                                                                  CompletionQueue receiveCompletions,
                                                                  int sendQueueDepth) {
        checkOpen();
        checkDepth(sendQueueDepth, "send queue depth");
        SoftCompletionQueue sendCq = ownQueue(sendCompletions);
        SoftSharedReceiveQueue srq = ownReceiveQueue(receives);
        SoftCompletionQueue receiveCq = ownQueue(receiveCompletions);
        int number = targetIds.allocate();
        long key = RANDOM.nextLong();
        srq.attach(receiveCq);
        SendQueue queue = new SendQueue(this, sendCq, sendQueueDepth, MAX_INLINE_DATA);
        SoftReliableQueuePair pair =
            new SoftReliableQueuePair(this, queue, number, new TargetAddress(PROVIDER, locator, number, key));
        queuePairs.add(pair);
        agent.add(queue);
        segment.publishTarget(number, NicSegment.KIND_RELIABLE, key, srq.id(), receiveCq.id());
        return pair;
    }

    /** Checks that a peer address names a live reliable queue pair whose key matches. */
    void checkReliablePeer(TargetAddress peer) {
        if (!PROVIDER.equals(peer.provider())) {
            throw SoftReliableQueuePair.notReliable(peer, "it belongs to provider " + peer.provider());
        }
        RemoteTarget target = peers.resolve(peer);
        if (target == null || !target.nic().reachable(System.nanoTime(), peerTimeoutNanos)) {
            throw SoftReliableQueuePair.notReliable(peer, "its NIC is gone or unreachable");
        }
        NicSegment remote = target.nic().segment();
        if (!remote.hasTarget(peer.targetNumber())) {
            throw SoftReliableQueuePair.notReliable(peer, "no such queue pair (closed?)");
        }
        if (remote.targetKind(peer.targetNumber()) != NicSegment.KIND_RELIABLE) {
            throw SoftReliableQueuePair.notReliable(peer, "it is a DC target, not a reliable queue pair");
        }
        if (remote.targetAccessKey(peer.targetNumber()) != peer.accessKey()) {
            throw SoftReliableQueuePair.notReliable(peer, "the access key does not match");
        }
    }

    // Internal API for resources.

    StampedLock guard() {
        return guard;
    }

    PeerCache peers() {
        return peers;
    }

    NicAgent agent() {
        return agent;
    }

    NicSegment segment() {
        return segment;
    }

    long rnrTimeoutNanos() {
        return rnrTimeoutNanos;
    }

    long peerTimeoutNanos() {
        return peerTimeoutNanos;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * A receive completion of this NIC's receive queue {@code srqId} was polled: its descriptor is free again.
     *
     * @return {@code false} if the descriptor had been reclaimed from a sender taken for dead: drop the record.
     */
    boolean receiveCompleted(int srqId, long seq) {
        SoftSharedReceiveQueue queue = receiveQueues.get(ResourceIds.slotOf(srqId));
        return queue == null || queue.id() != srqId || queue.completed(seq);
    }

    /**
     * After a completion queue skipped an abandoned record: reclaims, in every receive queue that reports only to
     * it, the descriptors a dead sender claimed ({@link SoftSharedReceiveQueue#reclaimAbandoned}).
     *
     * @param completions the completion queue, which is being polled by the caller.
     * @param drained     whether its ring is drained now; asked after the claimed counters were read.
     * @return {@code true} when done; {@code false} to try again at a later poll.
     */
    boolean reclaimAbandonedReceives(SoftCompletionQueue completions, BooleanSupplier drained) {
        List<SoftSharedReceiveQueue> queues = new ArrayList<>();
        List<Long> claimed = new ArrayList<>();
        for (int i = 0; i < ResourceIds.MAX_SLOTS; i++) {
            SoftSharedReceiveQueue queue = receiveQueues.get(i);
            if (queue != null && queue.reportsOnlyTo(completions)) {
                queues.add(queue);
                claimed.add(queue.claimed());
            }
        }
        if (!drained.getAsBoolean()) {
            return false;
        }
        boolean done = true;
        for (int i = 0; i < queues.size(); i++) {
            done &= queues.get(i).reclaimAbandoned(claimed.get(i));
        }
        return done;
    }

    SoftMemoryRegion ownRegion(MemoryRegion region, String what) {
        if (!(region instanceof SoftMemoryRegion own) || own.nic() != this) {
            throw new IllegalArgumentException("the " + what + " must be a region registered on this NIC");
        }
        if (own.isClosed()) {
            throw new IllegalArgumentException("the " + what + "'s region is closed");
        }
        return own;
    }

    private SoftCompletionQueue ownQueue(CompletionQueue queue) {
        if (!(queue instanceof SoftCompletionQueue own) || own.nic() != this) {
            throw new IllegalArgumentException("the completion queue must be created by this NIC");
        }
        return own;
    }

    private SoftSharedReceiveQueue ownReceiveQueue(SharedReceiveQueue queue) {
        if (!(queue instanceof SoftSharedReceiveQueue own) || own.nic() != this) {
            throw new IllegalArgumentException("the shared receive queue must be created by this NIC");
        }
        return own;
    }

    void destroyRegion(SoftMemoryRegion region, MappedFile file) {
        synchronized (this) {
            segment.retireRegion(region.rkey());
            regions.remove(region);
            regionIds.release(region.rkey());
        }
        unmapExclusively(file);
    }

    void destroyCompletionQueue(SoftCompletionQueue queue, MappedFile file) {
        synchronized (this) {
            completionQueues.remove(queue);
            completionQueueIds.release(queue.id());
        }
        unmapExclusively(file);
    }

    void destroyReceiveQueue(SoftSharedReceiveQueue queue, MappedFile file) {
        synchronized (this) {
            receiveQueues.compareAndSet(ResourceIds.slotOf(queue.id()), queue, null);
            receiveQueueIds.release(queue.id());
        }
        unmapExclusively(file);
    }

    synchronized void destroyTarget(int number) {
        segment.retireTarget(number);
        targets.removeIf(target -> target.number() == number);
        targetIds.release(number);
    }

    void destroyQueuePair(SoftQueuePair pair) {
        pair.sendQueue().close();
        synchronized (this) {
            agent.remove(pair.sendQueue());
            if (queuePairs.remove(pair) && pair instanceof SoftReliableQueuePair reliable) {
                segment.retireTarget(reliable.number());
                targetIds.release(reliable.number());
            }
        }
    }

    /** A mapping that may still be in use; the agent unmaps it under the exclusive guard. */
    void retireLater(MappedFile file) {
        retiredMappings.add(file);
    }

    /** Called by the agent once per heartbeat: unmap what is no longer used and drop dead peers. */
    void housekeeping() {
        List<RemoteNic> dead = peers.removeDead(System.nanoTime(), peerTimeoutNanos);
        if (dead.isEmpty() && retiredMappings.isEmpty()) {
            return;
        }
        long stamp = guard.writeLock();
        try {
            for (RemoteNic peer : dead) {
                peer.unmapAll();
            }
            for (MappedFile file : retiredMappings) {
                file.unmap();
            }
            retiredMappings.clear();
        } finally {
            guard.unlockWrite(stamp);
        }
        for (RemoteNic peer : dead) {
            peer.deleteFilesOfDeadOwner();
        }
    }

    private void unmapExclusively(MappedFile file) {
        long stamp = guard.writeLock();
        try {
            file.unmapAndDelete();
        } finally {
            guard.unlockWrite(stamp);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the NIC is closed");
        }
    }

    private static void checkDepth(int depth, String what) {
        if (depth <= 0 || depth > MAX_QUEUE_DEPTH) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_QUEUE_DEPTH + ": " + depth);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        segment.markClosed();
        agent.stop();
        List<SoftQueuePair> pairs;
        List<SoftDcTarget> openTargets;
        List<SoftMemoryRegion> openRegions;
        List<SoftCompletionQueue> openQueues;
        List<SoftSharedReceiveQueue> openReceiveQueues = new ArrayList<>();
        synchronized (this) {
            pairs = new ArrayList<>(queuePairs);
            openTargets = new ArrayList<>(targets);
            openRegions = new ArrayList<>(regions);
            openQueues = new ArrayList<>(completionQueues);
            for (int i = 0; i < ResourceIds.MAX_SLOTS; i++) {
                SoftSharedReceiveQueue queue = receiveQueues.get(i);
                if (queue != null) {
                    openReceiveQueues.add(queue);
                }
            }
        }
        for (SoftQueuePair pair : pairs) {
            destroyQueuePair(pair);
        }
        openTargets.forEach(SoftDcTarget::close);
        openReceiveQueues.forEach(SoftSharedReceiveQueue::close);
        openQueues.forEach(SoftCompletionQueue::close);
        openRegions.forEach(SoftMemoryRegion::close);
        long stamp = guard.writeLock();
        try {
            for (RemoteNic peer : peers.removeAll()) {
                peer.unmapAll();
            }
            retiredMappings.forEach(MappedFile::unmap);
            retiredMappings.clear();
            control.unmapAndDelete();
        } finally {
            guard.unlockWrite(stamp);
        }
        onClose.run();
    }

    @Override
    public String toString() {
        return "SoftNic{" + deviceName + " at " + files.base() + '}';
    }
}
