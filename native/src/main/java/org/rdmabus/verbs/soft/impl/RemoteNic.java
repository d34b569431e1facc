package org.rdmabus.verbs.soft.impl;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.rdmabus.verbs.VerbsException;

/**
 * A peer NIC as seen from this one: its control segment and, mapped on first use and then reused, its regions,
 * receive queues and completion rings. Lookups of already-mapped resources allocate nothing.
 * <p>
 * Liveness: the peer is reachable while its segment says open and its heartbeat is younger than the peer
 * timeout. When the heartbeat looks late (three of the peer's intervals) the owner process is checked by pid and
 * start time, at most once per interval, so a dead process is noticed long before the timeout.
 */
final class RemoteNic {
    private static final int STALE_INTERVALS = 3;

    private final SoftNic local;
    private final SegmentFiles files;
    private final MappedFile control;
    private final NicSegment segment;
    private final ProcessIdentity owner;
    private final long staleAfterNanos;
    private final AtomicReferenceArray<RemoteRegion> regions = new AtomicReferenceArray<>(ResourceIds.MAX_SLOTS);
    private final AtomicReferenceArray<RemoteReceiveQueue> receiveQueues =
        new AtomicReferenceArray<>(ResourceIds.MAX_SLOTS);
    private final AtomicReferenceArray<ManyToOneRingBuffer> rings = new AtomicReferenceArray<>(ResourceIds.MAX_SLOTS);
    private final int[] ringIds = new int[ResourceIds.MAX_SLOTS];
    private final int[] receiveQueueIds = new int[ResourceIds.MAX_SLOTS];
    private final java.util.List<MappedFile> mappings = new java.util.ArrayList<>();
    private volatile boolean dead;
    private volatile boolean retired;
    private long nextOwnerCheck;

    private RemoteNic(SoftNic local, SegmentFiles files, MappedFile control) {
        this.local = local;
        this.files = files;
        this.control = control;
        this.segment = new NicSegment(control.buffer());
        this.owner = segment.owner();
        this.staleAfterNanos = STALE_INTERVALS * Math.max(1, segment.heartbeatIntervalNanos());
        mappings.add(control);
    }

    /**
     * @throws VerbsException if the peer's control segment is missing or malformed.
     */
    static RemoteNic map(SoftNic local, String locator) {
        SegmentFiles files = new SegmentFiles(locator);
        MappedFile control = MappedFile.open(files.control());
        if (control.length() < NicSegment.LENGTH || !new NicSegment(control.buffer()).isValid()) {
            control.unmap();
            throw new VerbsException(files.control() + " is not a soft NIC control segment");
        }
        return new RemoteNic(local, files, control);
    }

    String locator() {
        return files.base();
    }

    NicSegment segment() {
        return segment;
    }

    boolean isRetired() {
        return retired;
    }

    boolean isDead() {
        return dead;
    }

    /**
     * @param now              {@link System#nanoTime()}.
     * @param peerTimeoutNanos how long a silent peer is still waited for.
     * @return whether work may be executed against this peer now.
     */
    boolean reachable(long now, long peerTimeoutNanos) {
        if (dead) {
            return false;
        }
        if (segment.state() != NicSegment.STATE_OPEN) {
            dead = true;
            return false;
        }
        long age = now - segment.heartbeat();
        if (age <= staleAfterNanos) {
            return true;
        }
        if (now - nextOwnerCheck >= 0) {
            nextOwnerCheck = now + staleAfterNanos / STALE_INTERVALS;
            if (!owner.isAlive()) {
                dead = true;
                return false;
            }
        }
        return age <= peerTimeoutNanos;
    }

    /** @return the peer's region with this rkey, mapped, or {@code null} if no such region is registered. */
    RemoteRegion region(int rkey) {
        if (!segment.hasRegion(rkey)) {
            return null;
        }
        RemoteRegion region = regions.get(ResourceIds.slotOf(rkey));
        return region != null && region.rkey() == rkey ? region : mapRegion(rkey);
    }

    private synchronized RemoteRegion mapRegion(int rkey) {
        int slot = ResourceIds.slotOf(rkey);
        RemoteRegion region = regions.get(slot);
        if (region != null && region.rkey() == rkey) {
            return region;
        }
        MappedFile file;
        try {
            file = MappedFile.open(files.region(rkey));
        } catch (VerbsException e) {
            return null;
        }
        if (region != null) {
            local.retireLater(region.file());
            mappings.remove(region.file());
        }
        mappings.add(file);
        RemoteRegion mapped = new RemoteRegion(rkey, file);
        regions.set(slot, mapped);
        return mapped;
    }

    /** @return the peer's receive queue with this id, mapped, or {@code null} if it is gone. */
    RemoteReceiveQueue receiveQueue(int id) {
        int slot = ResourceIds.slotOf(id);
        RemoteReceiveQueue queue = receiveQueues.get(slot);
        if (queue != null && receiveQueueIds[slot] == id) {
            return queue;
        }
        return mapReceiveQueue(id);
    }

    private synchronized RemoteReceiveQueue mapReceiveQueue(int id) {
        int slot = ResourceIds.slotOf(id);
        RemoteReceiveQueue queue = receiveQueues.get(slot);
        if (queue != null && receiveQueueIds[slot] == id) {
            return queue;
        }
        try {
            MappedFile file = MappedFile.open(files.receiveQueue(id));
            mappings.add(file);
            RemoteReceiveQueue mapped = new RemoteReceiveQueue(id, file);
            receiveQueueIds[slot] = id;
            receiveQueues.set(slot, mapped);
            return mapped;
        } catch (VerbsException e) {
            return null;
        }
    }

    /** @return the peer's completion ring with this id, mapped, or {@code null} if it is gone. */
    ManyToOneRingBuffer completionRing(int id) {
        int slot = ResourceIds.slotOf(id);
        ManyToOneRingBuffer ring = rings.get(slot);
        if (ring != null && ringIds[slot] == id) {
            return ring;
        }
        return mapCompletionRing(id);
    }

    private synchronized ManyToOneRingBuffer mapCompletionRing(int id) {
        int slot = ResourceIds.slotOf(id);
        ManyToOneRingBuffer ring = rings.get(slot);
        if (ring != null && ringIds[slot] == id) {
            return ring;
        }
        try {
            MappedFile file = MappedFile.open(files.completionQueue(id));
            mappings.add(file);
            ManyToOneRingBuffer mapped = new ManyToOneRingBuffer(file.buffer());
            ringIds[slot] = id;
            rings.set(slot, mapped);
            return mapped;
        } catch (VerbsException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Stops using this peer: later lookups map it afresh. The caller holds the NIC's guard exclusively, so no
     * thread is copying through these mappings.
     */
    synchronized void unmapAll() {
        retired = true;
        for (MappedFile file : mappings) {
            file.unmap();
        }
        mappings.clear();
    }

    /** Removes the files of a peer whose process is gone, as the start-up sweep of any NIC would. */
    void deleteFilesOfDeadOwner() {
        if (dead && !owner.isAlive()) {
            StaleSegmentSweeper.sweep(files.control().getParent());
        }
    }
}
