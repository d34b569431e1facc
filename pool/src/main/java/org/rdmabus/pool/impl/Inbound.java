package org.rdmabus.pool.impl;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.codec.CodecLimits;
import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.codec.FrameDecoder;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.codec.NodeId;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;

/**
 * This node's receiving end: its DC target (none on RC, where every peer's queue pair takes its receives from the
 * same queue), the shared receive queue kept topped up with registered buffers, the receive completion queue, and
 * what happens to each frame that lands, including the datagrams {@link DatagramPath} hands over.
 * <p>
 * Every frame is decoded strictly. Control frames (HELLO, CREDIT, BYE) are handled here and their buffers posted
 * again at once; data frames go to the {@link MessageSink} in per-source sequence order, their buffers lent until
 * the sink releases them. A released buffer is posted again by the receive poller, and only then is the sender's
 * credit returned, so a credit always stands for a posted buffer.
 * <p>
 * The receive queue may refuse a buffer for a while: its descriptors are reused in ring order, and the next one
 * may still await a completion that another sender wrote later than its neighbours (or, on the soft fabric, one
 * that a dead sender left and the fabric reclaims after the peer timeout). Such buffers wait here, in order, with
 * the credit each stands for, and are posted before any other at the next round.
 * <p>
 * A data frame that fails to decode is dropped, but when its fixed header is sound and names a live peer at its
 * current epoch, the buffer it took still counts as that peer's: its credit is owed back, and the credits its
 * header returns are applied, so a peer that sent one malformed frame does not lose a credit for good. A forged
 * header gains nothing a well-formed forged frame would not: the sender caps its credits at the initial grant.
 * <p>
 * Everything but {@link #returned} runs on the receive poller.
 */
final class Inbound implements AutoCloseable {
    private static final long CREDIT_FLUSH_NANOS = 50_000;

    private final PoolCore core;
    private final int bufferSize;
    private final int bufferCount;
    private final MemoryRegion region;
    private final SharedReceiveQueue receives;
    private final CompletionQueue completions;
    private final DcTarget target;
    private final Completion[] polled;
    private final BoundedQueue<ReceiveLease> returnedLeases;
    private final FrameDecoder decoder;
    private final DecodeErrorCounters decodeErrors = new DecodeErrorCounters();
    private final Long2ObjectHashMap<Peer> bySource = new Long2ObjectHashMap<>();
    private final List<Peer> owedCredit = new ArrayList<>();
    private final ConcurrentLinkedQueue<Peer> departed = new ConcurrentLinkedQueue<>();
    /** Buffers the receive queue refused for now, oldest first; posted before anything else. */
    private final ArrayDeque<Repost> deferred = new ArrayDeque<>();
    private final AtomicInteger lent = new AtomicInteger();
    private volatile int deferredCount;
    private final int creditThreshold;

    /** @param withTarget whether to create a DC target on the receive queue (on DC) or not (on RC). */
    Inbound(PoolCore core, Nic nic, int bufferCount, int bufferSize, long accessKey, int pollBatch,
            boolean withTarget) {
        this.core = core;
        this.bufferSize = bufferSize;
        this.bufferCount = bufferCount;
        this.polled = Completion.array(pollBatch);
        this.returnedLeases = new BoundedQueue<>(bufferCount);
        // The pool never reassembles segments: whoever does (the transport) applies its own message limit before
        // allocating, so here a segment's declared total is only checked for consistency, not capped.
        this.decoder = new FrameDecoder(CodecLimits.defaults().withMaxFrameLength(bufferSize)
            .withMaxMessageSize(Integer.MAX_VALUE), decodeErrors);
        this.creditThreshold = Math.max(1, core.initialCredits / 2);
        List<AutoCloseable> created = new ArrayList<>();
        try {
            region = nic.allocateRegion(Math.multiplyExact(bufferCount, bufferSize), EnumSet.of(Access.LOCAL_WRITE));
            created.add(region);
            Pages.touch(region);
            receives = nic.createSharedReceiveQueue(bufferCount);
            created.add(receives);
            completions = nic.createCompletionQueue(bufferCount);
            created.add(completions);
            target = withTarget ? nic.createTarget(receives, completions, accessKey) : null;
            if (target != null) {
                created.add(target);
            }
            for (int i = 0; i < bufferCount; i++) {
                if (!receives.postReceive(i, region, (long) i * bufferSize, bufferSize)) {
                    throw new IllegalStateException("shared receive queue took only " + i + " of " + bufferCount
                        + " buffers");
                }
            }
        } catch (RuntimeException e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                closeQuietly(created.get(i));
            }
            throw e;
        }
    }

    /** @return this node's DC target address, with the access key. */
    TargetAddress address() {
        return target.address();
    }

    DcTarget target() {
        return target;
    }

    SharedReceiveQueue receives() {
        return receives;
    }

    CompletionQueue completionQueue() {
        return completions;
    }

    int lent() {
        return lent.get();
    }

    int posted() {
        return receives.posted();
    }

    /** @return buffers waiting for the receive queue to take them again; read on the receive poller or for stats. */
    int waitingToPost() {
        return deferredCount;
    }

    long decodeErrors() {
        return decodeErrors.total();
    }

    /** A peer left the cluster: its entry in the source table goes, on the receive poller. Any thread. */
    void forget(Peer peer) {
        departed.offer(peer);
    }

    /** Called by whichever thread releases a lease. */
    void returned(ReceiveLease lease) {
        lent.decrementAndGet();
        // The queue holds as many leases as there are buffers, so it cannot be full.
        returnedLeases.offer(lease);
    }

    /**
     * Reposts released buffers, returns their credits, polls for new frames and flushes credits that have waited.
     *
     * @return work done.
     */
    int doWork(Outcomes outcomes, long now) {
        int work = repostDeferred(now) + repostReturned(now);
        Peer gone;
        while ((gone = departed.poll()) != null) {
            bySource.remove(gone.wireId.leastSignificantBits(), gone);
        }
        int count = completions.poll(polled);
        core.counters.poll(count == 0);
        for (int i = 0; i < count; i++) {
            Completion completion = polled[i];
            int index = (int) completion.wrId();
            if (!completion.isSuccess()) {
                core.counters.error(completion.status());
                if (completion.status() != CompletionStatus.FLUSHED) {
                    repost(index, null, now);
                }
                continue;
            }
            onFrame(index, completion.byteLength(), outcomes, now);
        }
        return work + count + flushCredits(now);
    }

    private int repostReturned(long now) {
        int work = 0;
        ReceiveLease lease;
        while ((lease = returnedLeases.poll()) != null) {
            repost(lease.bufferIndex, lease.peer, lease.epoch, now);
            work++;
        }
        return work;
    }

    private int repostDeferred(long now) {
        int work = 0;
        Repost head;
        while ((head = deferred.peek()) != null && post(head.index)) {
            deferred.poll();
            deferredCount = deferred.size();
            creditPosted(head.creditTo, head.epoch, now);
            work++;
        }
        return work;
    }

    private void repost(int index, Peer creditTo, long now) {
        repost(index, creditTo, creditTo == null ? 0 : creditTo.remoteEpoch, now);
    }

    /**
     * Posts a buffer again, or keeps it for the next round if the receive queue cannot take it yet; the credit it
     * stands for is owed only once it is posted.
     *
     * @param creditTo the peer whose frame the buffer held, owed a credit, or {@code null} for none.
     * @param epoch    the peer's epoch when it sent that frame: a restarted peer starts with fresh credits.
     */
    private void repost(int index, Peer creditTo, long epoch, long now) {
        if (deferred.isEmpty() && post(index)) {
            creditPosted(creditTo, epoch, now);
            return;
        }
        deferred.add(new Repost(index, creditTo, epoch));
        deferredCount = deferred.size();
    }

    private boolean post(int index) {
        return receives.postReceive(index, region, (long) index * bufferSize, bufferSize);
    }

    private void creditPosted(Peer creditTo, long epoch, long now) {
        if (creditTo != null && epoch == creditTo.remoteEpoch) {
            owe(creditTo, now);
        }
    }

    /** One data frame's buffer is back: the sender may send one more. */
    private void owe(Peer peer, long now) {
        int owed = peer.oweCredit();
        if (owed >= creditThreshold) {
            peer.sendControl(ControlStep.CREDIT, null);
        } else if (!peer.creditListed) {
            peer.creditListed = true;
            peer.creditsOwedSince = now;
            owedCredit.add(peer);
        }
    }

    /** Returns credits that found no reverse traffic to ride on within a short delay. */
    private int flushCredits(long now) {
        int work = 0;
        for (int i = owedCredit.size() - 1; i >= 0; i--) {
            Peer peer = owedCredit.get(i);
            boolean settled = peer.owedCredits() == 0;
            if (settled || now - peer.creditsOwedSince >= CREDIT_FLUSH_NANOS) {
                if (!settled) {
                    peer.sendControl(ControlStep.CREDIT, null);
                    work++;
                }
                peer.creditListed = false;
                owedCredit.set(i, owedCredit.get(owedCredit.size() - 1));
                owedCredit.remove(owedCredit.size() - 1);
            }
        }
        return work;
    }

    private void onFrame(int index, int length, Outcomes outcomes, long now) {
        Peer peer = admit(region.buffer(), index * bufferSize, length, outcomes, true);
        if (peer == null) {
            repost(index, malformedDataFrom(region.buffer(), index * bufferSize, length, outcomes), now);
            return;
        }
        FrameType type = decoder.type();
        switch (type) {
            case MESSAGE:
            case REPLY:
            case ERROR:
                onData(index, peer, type, outcomes, now);
                return;
            case HELLO:
                if (!decoder.isChannelHello()) {
                    repost(index, null, now);
                    return;
                }
                // Read out before the buffer goes back to the NIC, which may fill it again at once.
                ControlStep step = ControlStep.ofChannelCode(decoder.channelStep());
                TargetAddress remote = channelAddress();
                repost(index, null, now);
                core.channels.onStep(peer, step, remote);
                return;
            case BYE:
                peer.sequenceKnown = false;
                repost(index, null, now);
                return;
            default:
                repost(index, null, now); // CREDIT: its credits were applied above
        }
    }

    /**
     * A frame that did not decode: if its fixed header is sound, is a data frame (the only kind that spends a
     * credit) and names a live peer at its current epoch, that peer spent a credit on it. The credits the header
     * returns are applied too; the sender caps what it holds at the initial grant, so a forged header gains
     * nothing.
     *
     * @return the peer owed a credit for the buffer, or {@code null} when the frame cannot be attributed.
     */
    private Peer malformedDataFrom(AtomicBuffer buffer, int offset, int length, Outcomes outcomes) {
        if (length < FrameLayout.HEADER_LENGTH
            || buffer.getInt(offset + FrameLayout.MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != FrameLayout.MAGIC
            || (buffer.getByte(offset + FrameLayout.VERSION_OFFSET) & 0xFF) != FrameLayout.VERSION) {
            return null;
        }
        FrameType type = FrameType.fromCode(buffer.getByte(offset + FrameLayout.TYPE_OFFSET) & 0xFF);
        if (type != FrameType.MESSAGE && type != FrameType.REPLY && type != FrameType.ERROR) {
            return null;
        }
        long msb = buffer.getLong(offset + FrameLayout.SOURCE_MSB_OFFSET, ByteOrder.LITTLE_ENDIAN);
        long lsb = buffer.getLong(offset + FrameLayout.SOURCE_LSB_OFFSET, ByteOrder.LITTLE_ENDIAN);
        Peer peer = bySource.get(lsb);
        if (peer == null || !peer.wireId.matches(msb, lsb) || peer.isClosed()
            || buffer.getLong(offset + FrameLayout.EPOCH_OFFSET, ByteOrder.LITTLE_ENDIAN) != peer.remoteEpoch) {
            return null;
        }
        int credits = buffer.getInt(offset + FrameLayout.CREDITS_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (credits > 0) {
            peer.addCredits(credits, outcomes);
        }
        return peer;
    }

    /**
     * A datagram arrived (on RC); its buffer is posted again by the caller as soon as this returns. Only HELLOs and
     * channel steps travel as datagrams: anything else is dropped and counted, and credits in a datagram's header
     * are ignored, because a sender never returns credits on a path that may lose them.
     */
    void onDatagram(AtomicBuffer buffer, int offset, int length, Outcomes outcomes) {
        Peer peer = admit(buffer, offset, length, outcomes, false);
        if (peer == null) {
            return;
        }
        if (decoder.type() != FrameType.HELLO) {
            core.counters.dropped();
            return;
        }
        if (decoder.isChannelHello()) {
            core.channels.onStep(peer, ControlStep.ofChannelCode(decoder.channelStep()), channelAddress());
        }
    }

    /** A datagram receive failed (other than by a flush): counted like any receive error. */
    void datagramFailed(CompletionStatus status) {
        core.counters.error(status);
    }

    /**
     * Decodes a frame and finds its live sender; the sender is told it was heard from and, for frames that came
     * on a reliable path, given the credits the frame returns.
     *
     * @return the sender, or {@code null} if the frame is dropped (counted).
     */
    private Peer admit(AtomicBuffer buffer, int offset, int length, Outcomes outcomes, boolean reliable) {
        if (!decoder.decode(buffer, offset, length)) {
            core.counters.dropped();
            return null;
        }
        Peer peer = peerFor(decoder.type());
        if (peer == null) {
            core.counters.dropped();
            return null;
        }
        long epoch = decoder.epoch();
        if (epoch < peer.remoteEpoch) {
            core.counters.dropped(); // a frame from a previous incarnation, still in flight when the peer restarted
            return null;
        }
        peer.heardFrom(epoch, outcomes);
        peer.countReceived(length);
        core.counters.received(length);
        int credits = decoder.credits();
        if (credits > 0 && reliable) {
            peer.addCredits(credits, outcomes);
        }
        return peer;
    }

    private TargetAddress channelAddress() {
        int length = decoder.channelAddressLength();
        if (length == 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        decoder.buffer().getBytes(decoder.channelAddressOffset(), bytes);
        try {
            return TargetAddress.fromBytes(bytes);
        } catch (IllegalArgumentException malformed) {
            core.counters.dropped();
            return null;
        }
    }

    private void onData(int index, Peer peer, FrameType type, Outcomes outcomes, long now) {
        if (peer.awaitsReady) {
            // On RC the proposer sends data only once connected: its data proves a READY that may have been lost.
            core.channels.onStep(peer, ControlStep.CHANNEL_READY, null);
        }
        long sequence = decoder.sequence();
        if (!peer.sequenceKnown) {
            peer.sequenceKnown = true;
            peer.expectedSequence = sequence + 1;
        } else if (sequence == peer.expectedSequence) {
            peer.expectedSequence++;
        } else if (sequence < peer.expectedSequence) {
            core.counters.dropped(); // a duplicate: its number was delivered already
            repost(index, peer, now);
            return;
        } else {
            core.counters.sequenceGap();
            peer.expectedSequence = sequence + 1;
        }
        MessageSink sink = core.sink();
        if (sink == null) {
            core.counters.dropped();
            repost(index, peer, now);
            return;
        }
        ReceiveLease lease = new ReceiveLease(this, index, peer, peer.remoteEpoch, type, decoder.flags(), sequence);
        lent.incrementAndGet();
        try {
            sink.onMessage(peer.nodeId, decoder.buffer(), decoder.payloadOffset(), decoder.payloadLength(), lease);
        } catch (Throwable t) {
            core.counters.handlerFailed(t);
            if (!lease.isReleased()) {
                lease.release();
            }
        }
    }

    /** Finds the frame's source; a HELLO or a UUID id names a node never seen before. */
    private Peer peerFor(FrameType type) {
        long msb = decoder.sourceMostSignificantBits();
        long lsb = decoder.sourceLeastSignificantBits();
        Peer peer = bySource.get(lsb);
        if (peer != null && peer.wireId.matches(msb, lsb) && !peer.isClosed()) {
            return peer;
        }
        String nodeId;
        if (type == FrameType.HELLO) {
            nodeId = decoder.helloNodeId();
        } else if (!NodeId.isDerived(msb)) {
            nodeId = new UUID(msb, lsb).toString();
        } else {
            return null; // a hashed id whose HELLO never arrived: nothing names the sender
        }
        peer = core.peerFor(nodeId);
        if (peer != null) {
            bySource.put(lsb, peer);
        }
        return peer;
    }

    /** A buffer to post again once the receive queue takes it, and the credit it then stands for. */
    private record Repost(int index, Peer creditTo, long epoch) {
    }

    @Override
    public void close() {
        if (target != null) {
            closeQuietly(target);
        }
        closeQuietly(receives);
        closeQuietly(completions);
        closeQuietly(region);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // Closing is best effort: the NIC's own close releases whatever is left.
        }
    }
}
