package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.rdmabus.pool.impl.Peer.ChannelState;
import org.rdmabus.verbs.TargetAddress;

/**
 * Gives peers a dedicated reliable queue pair (a channel) and takes it back from idle ones, following the handshake
 * in {@link ControlStep}. Queue pairs come from the pool's warm reserve and are connected on the pool's control
 * executor, never on a poller or a sender; {@link Peer} switches paths only after the old one has drained.
 * <p>
 * On DC a channel is a promotion: hot peers get one, and the handshake's frames travel in order with the peer's
 * data over the shared initiators. On RC ({@code connectOnDemand}) a channel is the only path for data: a peer's
 * first data frame starts the handshake, whose steps travel as datagrams ahead of the waiting data. Datagrams may
 * be lost, so an unanswered OFFER or ACCEPT is sent again each review, a repeated step is answered again, and the
 * accepter takes the proposer's first data frame as its READY. A handshake that fails fails the peer's waiting
 * data, since on RC nothing else could carry it.
 * <p>
 * Each side decides only for itself when to move its own direction; only the proposer decides to demote. When
 * two nodes propose to each other at once, the one with the smaller node id wins.
 */
final class ChannelManager {
    private static final System.Logger LOG = System.getLogger(ChannelManager.class.getName());
    private static final long RETRY_BACKOFF_NANOS = 1_000_000_000L;
    /** A handshake step unanswered for this long is abandoned: its answer was lost, or the peer gave up. */
    private static final long HANDSHAKE_TIMEOUT_NANOS = 5_000_000_000L;
    /** On RC, how long an OFFER or ACCEPT waits for its answer before it is sent again (each review after that). */
    private static final long RESEND_AFTER_NANOS = 200_000_000L;

    private final PoolCore core;
    private final Executor control;
    private final int maxChannels;
    private final int threshold;
    private final long demotionIdleNanos;
    private final boolean connectOnDemand;
    /** Channels being set up or in use; bounded by maxChannels. */
    private final AtomicInteger reserved = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong promotions = new AtomicLong();
    private final AtomicLong demotions = new AtomicLong();
    /** Whether a release to make room for a waiting peer is already on the control executor. */
    private final AtomicBoolean releaseScheduled = new AtomicBoolean();

    /**
     * @param maxChannels     the most channels set up or in use at once.
     * @param threshold       on DC, frames per second above which a peer is promoted; 0 never promotes.
     * @param connectOnDemand whether the pool runs on RC, where every peer needs a channel for its data.
     */
    ChannelManager(PoolCore core, Executor control, int maxChannels, int threshold, long demotionIdleNanos,
                   boolean connectOnDemand) {
        this.core = core;
        this.control = control;
        this.maxChannels = maxChannels;
        this.threshold = threshold;
        this.demotionIdleNanos = demotionIdleNanos;
        this.connectOnDemand = connectOnDemand;
    }

    /**
     * On RC, data waits for the peer and it has no channel: start connecting it, unless a handshake is under way or
     * the last one failed too recently. At the channel limit, the idlest channel this node proposed is released to
     * make room, and the review tries again. Called by the peer under its lock.
     */
    void connectFor(Peer peer) {
        if (!connectOnDemand || peer.channelState() != ChannelState.NONE || !peer.isReachable()
            || peer.address() == null || System.nanoTime() - peer.nextPromotionAttempt() < 0) {
            return;
        }
        if (!propose(peer) && reserved.get() >= maxChannels && releaseScheduled.compareAndSet(false, true)) {
            control.execute(() -> {
                releaseScheduled.set(false);
                releaseIdlest();
            });
        }
    }

    /** Releases the channel this node proposed that has been idle longest, if any; on the control executor. */
    private void releaseIdlest() {
        Peer idlest = null;
        for (Peer peer : core.peers()) {
            if (peer.channelState() == ChannelState.ACTIVE && peer.isProposer() && !peer.hasQueuedData()
                && (idlest == null || peer.lastActiveNanos - idlest.lastActiveNanos < 0)) {
                idlest = peer;
            }
        }
        if (idlest != null) {
            release(idlest);
        }
    }

    long promotions() {
        return promotions.get();
    }

    long demotions() {
        return demotions.get();
    }

    int active() {
        return active.get();
    }

    /**
     * Looks at one peer's recent traffic, on the housekeeping poller.
     *
     * @param framesPerSecond frames sent and received per second over the last interval.
     * @param idleNanos       how long the peer has had no traffic at all.
     */
    void review(Peer peer, long framesPerSecond, long idleNanos, long now) {
        ChannelState state = peer.channelState();
        if (connectOnDemand) {
            reviewConnected(peer, state, idleNanos, now);
            return;
        }
        if (state != ChannelState.NONE && state != ChannelState.ACTIVE
            && now - peer.channelStateSince() > HANDSHAKE_TIMEOUT_NANOS) {
            if (state == ChannelState.RELEASING) {
                synchronized (peer) {
                    if (peer.channelState() == ChannelState.RELEASING) {
                        finishDemotionLocked(peer); // the last answer was lost; both sides are on DC by now
                    }
                }
            } else {
                abandon(peer, state, true);
            }
            return;
        }
        if (threshold == 0 || maxChannels == 0) {
            return;
        }
        if (state == ChannelState.NONE && framesPerSecond >= threshold && peer.isReachable()
            && peer.address() != null && now - peer.nextPromotionAttempt() >= 0) {
            propose(peer);
        } else if (state == ChannelState.ACTIVE && idleNanos >= demotionIdleNanos && peer.isProposer()) {
            release(peer);
        }
    }

    /**
     * On RC: gives up handshakes that got no answer, failing the data that waited for them; repeats unanswered
     * steps; connects peers whose data waits (after a refusal's back-off, or once a channel was freed); releases
     * idle channels this node proposed.
     */
    private void reviewConnected(Peer peer, ChannelState state, long idleNanos, long now) {
        long inState = now - peer.channelStateSince();
        if (state == ChannelState.NONE) {
            if (peer.hasQueuedData()) {
                synchronized (peer) {
                    connectFor(peer);
                }
            }
            return;
        }
        if (state != ChannelState.ACTIVE && inState > HANDSHAKE_TIMEOUT_NANOS) {
            if (state == ChannelState.RELEASING) {
                synchronized (peer) {
                    if (peer.channelState() == ChannelState.RELEASING) {
                        finishDemotionLocked(peer); // RELEASED was lost; both sides have drained by now
                    }
                }
            } else if (abandon(peer, state, true)) {
                peer.connectFailed("it did not complete the RC connect handshake within "
                    + HANDSHAKE_TIMEOUT_NANOS / 1_000_000 + " ms");
            }
            return;
        }
        if (inState > RESEND_AFTER_NANOS && (state == ChannelState.OFFERED || state == ChannelState.ACCEPTED)) {
            ReliablePath path = peer.channel();
            if (path != null) {
                peer.sendControl(state == ChannelState.OFFERED ? ControlStep.CHANNEL_OFFER : ControlStep.CHANNEL_ACCEPT,
                    path.localAddress());
            }
            return;
        }
        if (state == ChannelState.ACTIVE && idleNanos >= demotionIdleNanos && peer.isProposer()) {
            release(peer);
        }
    }

    /** Forces a promotion attempt regardless of traffic; for tests and operators. */
    boolean promote(Peer peer) {
        if (peer.channelState() != ChannelState.NONE || !peer.isReachable() || peer.address() == null) {
            return false;
        }
        return propose(peer);
    }

    /** Forces a demotion of a peer this node promoted; for tests and operators. */
    boolean demote(Peer peer) {
        if (peer.channelState() != ChannelState.ACTIVE || !peer.isProposer()) {
            return false;
        }
        release(peer);
        return true;
    }

    private boolean reserve() {
        while (true) {
            int current = reserved.get();
            if (current >= maxChannels) {
                return false;
            }
            if (reserved.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private boolean propose(Peer peer) {
        synchronized (peer) {
            if (peer.channelState() != ChannelState.NONE || !reserve()) {
                return false;
            }
            peer.channelState(ChannelState.CREATING);
            peer.proposer(true);
        }
        control.execute(() -> {
            ReliablePath path;
            try {
                path = core.takeChannel();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not create a reliable queue pair for " + peer.nodeId, e);
                if (abandon(peer, ChannelState.CREATING, true) && connectOnDemand) {
                    peer.connectFailed("no RC queue pair could be created for it: " + e.getMessage());
                }
                return;
            }
            synchronized (peer) {
                if (peer.channelState() != ChannelState.CREATING) {
                    core.retire(path); // a crossing offer won, or the peer was lost meanwhile
                    return;
                }
                peer.channel(path);
                peer.channelState(ChannelState.OFFERED);
            }
            peer.sendControl(ControlStep.CHANNEL_OFFER, path.localAddress());
        });
        return true;
    }

    private void release(Peer peer) {
        synchronized (peer) {
            if (peer.channelState() != ChannelState.ACTIVE) {
                return;
            }
            peer.channelState(ChannelState.RELEASING);
            active.decrementAndGet();
        }
        // Queued behind the peer's data, so it is the last frame on the channel.
        peer.sendControl(ControlStep.CHANNEL_RELEASE, null);
    }

    /**
     * A channel step arrived from the peer, on the receive poller.
     *
     * @param step   the step, or {@code null} if its code was unknown.
     * @param remote the queue pair address it carried, or {@code null}.
     */
    void onStep(Peer peer, ControlStep step, TargetAddress remote) {
        if (step == null) {
            core.counters.dropped();
            return;
        }
        switch (step) {
            case CHANNEL_OFFER:
                onOffer(peer, remote);
                return;
            case CHANNEL_ACCEPT:
                onAccept(peer, remote);
                return;
            case CHANNEL_DECLINE:
                onDecline(peer);
                return;
            case CHANNEL_READY:
                onReady(peer);
                return;
            case CHANNEL_RELEASE:
                onRelease(peer);
                return;
            case CHANNEL_RELEASED:
                onReleased(peer);
                return;
            default:
                core.counters.dropped();
        }
    }

    private void onOffer(Peer peer, TargetAddress remote) {
        boolean decline = false;
        synchronized (peer) {
            ChannelState state = peer.channelState();
            if (connectOnDemand && remote != null && remote.equals(peer.channelRemote())) {
                // A repeated OFFER: our ACCEPT was lost (or is late). Answer again once we have one to give.
                ReliablePath path = peer.channel();
                if (state == ChannelState.ACCEPTED && path != null) {
                    peer.sendControl(ControlStep.CHANNEL_ACCEPT, path.localAddress());
                }
                return;
            }
            if (connectOnDemand && remote != null && (state == ChannelState.ACTIVE || state == ChannelState.ACCEPTED
                || state == ChannelState.RELEASING)) {
                // A new OFFER while this node holds a channel the peer no longer has (it gave up on it or lost
                // it): the old one goes, and what it still had in flight is replayed on the new one.
                if (state == ChannelState.ACTIVE) {
                    active.decrementAndGet();
                }
                dropChannelLocked(peer);
                state = ChannelState.NONE;
            }
            if (remote == null) {
                decline = true;
            } else if (state == ChannelState.CREATING || state == ChannelState.OFFERED) {
                if (core.nodeId.compareTo(peer.nodeId) < 0) {
                    // Crossing offers: the smaller node id proposes. The peer drops its own offer when it sees
                    // this node's, so its offer needs no answer (a DECLINE would read as an abort).
                    return;
                }
                dropChannelLocked(peer);
            } else if (state != ChannelState.NONE) {
                decline = true;
            }
            if (!decline) {
                if (!reserve()) {
                    decline = true;
                } else {
                    peer.channelState(ChannelState.ACCEPTING);
                    peer.proposer(false);
                    peer.channelRemote(remote);
                }
            }
        }
        if (decline) {
            peer.sendControl(ControlStep.CHANNEL_DECLINE, null);
            return;
        }
        control.execute(() -> {
            ReliablePath path;
            try {
                path = core.takeChannel();
                try {
                    path.connect(remote);
                } catch (RuntimeException e) {
                    core.retire(path);
                    throw e;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not accept a reliable queue pair from " + peer.nodeId, e);
                if (abandon(peer, ChannelState.ACCEPTING, false)) {
                    peer.sendControl(ControlStep.CHANNEL_DECLINE, null);
                }
                return;
            }
            synchronized (peer) {
                if (peer.channelState() != ChannelState.ACCEPTING) {
                    core.retire(path);
                    return;
                }
                peer.channel(path);
                peer.channelState(ChannelState.ACCEPTED);
                peer.awaitsReady = connectOnDemand;
            }
            peer.sendControl(ControlStep.CHANNEL_ACCEPT, path.localAddress());
        });
    }

    private void onAccept(Peer peer, TargetAddress remote) {
        ReliablePath path;
        synchronized (peer) {
            if (connectOnDemand && peer.channelState() == ChannelState.ACTIVE && peer.isProposer() && remote != null
                && remote.equals(peer.channelRemote())) {
                peer.sendControl(ControlStep.CHANNEL_READY, null); // a repeated ACCEPT: our READY was lost
                return;
            }
            if (peer.channelState() != ChannelState.OFFERED || remote == null) {
                return;
            }
            peer.channelState(ChannelState.CONNECTING);
            peer.channelRemote(remote);
            path = peer.channel();
        }
        control.execute(() -> {
            try {
                path.connect(remote);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not connect the reliable queue pair to " + peer.nodeId, e);
                if (abandon(peer, ChannelState.CONNECTING, true)) {
                    peer.sendControl(ControlStep.CHANNEL_DECLINE, null);
                }
                return;
            }
            synchronized (peer) {
                if (peer.channelState() != ChannelState.CONNECTING) {
                    return;
                }
                peer.channelState(ChannelState.ACTIVE);
                active.incrementAndGet();
                promotions.incrementAndGet();
            }
            // Posting READY flips this side to the channel, once the DC path has drained.
            peer.sendControl(ControlStep.CHANNEL_READY, null);
        });
    }

    private void onDecline(Peer peer) {
        synchronized (peer) {
            ChannelState state = peer.channelState();
            if (state == ChannelState.NONE || state == ChannelState.ACTIVE || state == ChannelState.RELEASING) {
                return;
            }
            dropChannelLocked(peer);
            peer.nextPromotionAttempt(System.nanoTime() + RETRY_BACKOFF_NANOS);
        }
        if (connectOnDemand) {
            peer.connectFailed("it refused an RC connection (it holds its most connected peers, or could not"
                + " connect a queue pair)");
        }
    }

    private void onReady(Peer peer) {
        synchronized (peer) {
            if (peer.channelState() != ChannelState.ACCEPTED) {
                return;
            }
            peer.awaitsReady = false;
            peer.channelState(ChannelState.ACTIVE);
            active.incrementAndGet();
            promotions.incrementAndGet();
        }
        peer.sendOnChannel(true);
    }

    private void onRelease(Peer peer) {
        synchronized (peer) {
            if (peer.channelState() != ChannelState.ACTIVE || peer.isProposer()) {
                return;
            }
            peer.channelState(ChannelState.RELEASING);
            active.decrementAndGet();
        }
        // Back to DC once this side's channel frames have completed; RELEASED follows them over DC.
        peer.sendOnChannel(false);
        peer.sendControl(ControlStep.CHANNEL_RELEASED, null);
    }

    private void onReleased(Peer peer) {
        synchronized (peer) {
            if (peer.channelState() != ChannelState.RELEASING || !peer.isProposer()) {
                return;
            }
            finishDemotionLocked(peer);
        }
    }

    /** A control frame reached the peer. */
    void controlDelivered(Peer peer, SendEntry entry) {
        if (entry.controlStep == ControlStep.CHANNEL_RELEASED) {
            synchronized (peer) {
                if (peer.channelState() == ChannelState.RELEASING && !peer.isProposer()) {
                    finishDemotionLocked(peer);
                }
            }
        }
    }

    /** A channel step could not be delivered after retries: the handshake it belonged to is abandoned. Under lock. */
    void controlLost(Peer peer, SendEntry entry) {
        if (entry.controlStep.isChannelStep() && peer.channelState() != ChannelState.NONE) {
            if (peer.channelState() == ChannelState.ACTIVE) {
                active.decrementAndGet();
            }
            dropChannelLocked(peer);
            peer.nextPromotionAttempt(System.nanoTime() + RETRY_BACKOFF_NANOS);
            if (connectOnDemand) {
                // Under the peer's lock: the data that waited fails once the poller runs the outcomes.
                control.execute(() -> peer.connectFailed("a step of the RC connect handshake could not be sent"));
            }
        }
    }

    /**
     * On RC, the peer's channel went into error and was given up, its frames flushed: it is dropped, so the next
     * frame connects a new one and the flushed frames are replayed on it. Called under the peer's lock.
     */
    void channelBroken(Peer peer) {
        if (peer.channelState() == ChannelState.ACTIVE) {
            active.decrementAndGet();
        }
        dropChannelLocked(peer);
    }

    /** The peer is unreachable, restarted or gone: whatever channel it had is dropped. Called under its lock. */
    void peerLost(Peer peer) {
        if (peer.channelState() == ChannelState.ACTIVE) {
            active.decrementAndGet();
        }
        if (peer.channelState() != ChannelState.NONE) {
            dropChannelLocked(peer);
        }
    }

    private void finishDemotionLocked(Peer peer) {
        dropChannelLocked(peer);
        demotions.incrementAndGet();
    }

    private void dropChannelLocked(Peer peer) {
        ReliablePath path = peer.channel();
        peer.channel(null);
        peer.channelRemote(null);
        peer.awaitsReady = false;
        peer.sendOnChannelLocked(false);
        if (peer.channelState() != ChannelState.NONE) {
            reserved.decrementAndGet();
        }
        peer.channelState(ChannelState.NONE);
        if (path != null) {
            core.retire(path);
        }
    }

    /**
     * Gives up a handshake that failed on the control thread, if it is still at {@code expected}.
     *
     * @return whether it was abandoned.
     */
    private boolean abandon(Peer peer, ChannelState expected, boolean backOff) {
        synchronized (peer) {
            if (peer.channelState() != expected) {
                return false;
            }
            dropChannelLocked(peer);
            if (backOff) {
                peer.nextPromotionAttempt(System.nanoTime() + RETRY_BACKOFF_NANOS);
            }
            return true;
        }
    }
}
