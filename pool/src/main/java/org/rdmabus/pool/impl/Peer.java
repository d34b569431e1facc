package org.rdmabus.pool.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.codec.NodeId;
import org.rdmabus.pool.AccessDeniedException;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.ConnectionClosedException;
import org.rdmabus.pool.MessageTooLargeException;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.PeerUnreachableException;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.ReceiverNotReadyException;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.pool.TransferFailedException;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.TargetAddress;

/**
 * Everything this node knows about one peer: the virtual connection to it (send queue, credits, sequence, the path
 * its frames take, the promotion handshake) and the receive state of frames from it.
 * <p>
 * <b>Ordering.</b> A peer's frames in flight are always on one path, and are numbered when posted. The peer stays
 * bound to that path until every in-flight frame has completed, so the receiver sees them in order. When one fails
 * or is flushed, nothing more is posted until all in-flight frames have completed; then the flushed frames go back
 * to the head of the queue and the sequence is rewound past the last delivered frame, so they are posted again in
 * their original order with no gap and no duplicate number. Switching between the shared initiators and a
 * dedicated queue pair uses the same fence: the new path is used only once the old one has drained, and a
 * completed SEND has already landed in the receiver's queue.
 * <p>
 * <b>Locking.</b> Sender state is guarded by this object's monitor. A path's lock is only ever tried while holding
 * it, never the other way round. Receive state is touched only by the receive poller.
 */
final class Peer implements Connection, PeerStats {

    /** Whether frames may be posted to the peer. */
    enum Reachability { REACHABLE, UNREACHABLE, CLOSED }

    /** Where the dedicated-queue-pair handshake stands. */
    enum ChannelState { NONE, CREATING, OFFERED, CONNECTING, ACCEPTING, ACCEPTED, ACTIVE, RELEASING }

    private static final int DATA_FLAGS_MESSAGE = FrameLayout.FLAG_SEGMENT | FrameLayout.FLAG_RENDEZVOUS;
    private static final int MAX_CONTROL_FAILURES = 3;
    private static final VarHandle SCHEDULED = handle("scheduled", boolean.class);
    private static final VarHandle CREDITS_TO_RETURN = handle("creditsToReturn", int.class);
    private static final VarHandle FRAMES_SENT = handle("framesSent", long.class);
    private static final VarHandle BYTES_SENT = handle("bytesSent", long.class);
    private static final VarHandle SEND_FAILURES = handle("sendFailures", long.class);

    final PoolCore core;
    final String nodeId;
    final NodeId wireId;
    private volatile TargetAddress address;

    // Sender state, guarded by this.
    private SendEntry queueHead;
    private SendEntry queueTail;
    private volatile int queuedData;
    private SendEntry flightHead;
    private SendEntry flightTail;
    private int inFlightCount;
    private SendEntry requeueHead;
    private SendEntry requeueTail;
    private boolean recovering;
    private long rewindTo = Long.MAX_VALUE;
    private SendPath bound;
    /** The bound path's reset count when this peer bound to it; a change means frames in flight may be flushed. */
    private long boundResets;
    private int credits;
    private long nextSequence;
    private long maxDeliveredSequence = -1;
    private boolean helloQueued;
    private boolean creditQueued;
    private Reachability reachability = Reachability.REACHABLE;
    private long unreachableUntil;
    private PoolException unreachableCause;
    private boolean backPressured;
    private Runnable drainHandler;
    private boolean resolving;
    private boolean probing;
    private long lastProgressNanos = System.nanoTime();

    // Promotion, guarded by this.
    private ChannelState channelState = ChannelState.NONE;
    private boolean proposer;
    private ReliablePath channel;
    /** The peer's end of the channel, as its OFFER or ACCEPT named it; tells a repeated step from a new one. */
    private TargetAddress channelRemote;
    private boolean channelSending;
    private long nextPromotionAttempt;
    private long channelStateSince;

    // Housekeeping samples, touched only by the housekeeping poller.
    long lastTrafficSample;
    long lastActiveNanos;

    /**
     * On RC, whether this node accepted the peer's channel and waits for its READY: the receive poller takes the
     * peer's first data frame as that READY, since the peer sends data only once connected.
     */
    volatile boolean awaitsReady;

    /** Whether the peer sits in the pool's ready queue; see {@link #markScheduled()}. */
    private volatile boolean scheduled;

    // Receive state, touched only by the receive poller.
    long remoteEpoch;
    long expectedSequence;
    boolean sequenceKnown;
    long creditsOwedSince;
    boolean creditListed;
    /** Receive credits this node owes the peer; taken into the next frame's header. */
    private volatile int creditsToReturn;

    // Counters are plain volatile fields updated through VarHandles: a peer must stay small (no Atomic* objects).
    private volatile long framesSent;
    private volatile long bytesSent;
    private volatile long framesReceived;
    private volatile long bytesReceived;
    private volatile long sendFailures;

    Peer(PoolCore core, String nodeId, NodeId wireId, TargetAddress address) {
        this.core = core;
        this.nodeId = nodeId;
        this.wireId = wireId;
        this.credits = core.initialCredits;
        this.lastActiveNanos = System.nanoTime();
        this.address = address;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /** @return the peer's DC target with the cluster key, or {@code null} while unresolved. */
    TargetAddress address() {
        return address;
    }

    // ---------------------------------------------------------------- sending

    @Override
    public SendStatus offer(FrameType type, int flags, DirectBuffer source, int offset, int length,
                            SendCallback callback) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(source, "source");
        checkDataFrame(type, flags);
        if (length > core.maxMessageSize) {
            core.invoke(callback, new MessageTooLargeException(length, core.maxMessageSize));
            return SendStatus.REJECTED;
        }
        if (length < 0 || offset < 0 || offset > source.capacity() - length) {
            throw new IndexOutOfBoundsException("payload [" + offset + ", +" + length + ") outside a buffer of "
                + source.capacity() + " bytes");
        }
        if (!isWritable()) {
            return backPressure();
        }
        long now = System.nanoTime();
        SendEntry entry = SendEntry.data(this, type, flags, length, callback, core.maxInline, core.slabs, now);
        if (entry == null) {
            core.waitForMemory(this);
            return backPressure();
        }
        entry.buffer().putBytes(entry.offset() + FrameLayout.HEADER_LENGTH, source, offset, length);
        PoolException refusal;
        Runnable drain = null;
        synchronized (this) {
            refusal = refusalLocked(now);
            if (refusal == null) {
                if (queuedData >= core.sendQueueDepth) {
                    backPressured = true;
                } else {
                    if (!helloQueued && core.sendsHello) {
                        queueControlLocked(ControlStep.HELLO, null, true);
                    }
                    append(entry);
                    queuedData++;
                    drain = pumpLocked();
                    if (!entry.posted) {
                        entry.waited = true;
                        core.counters.queueWait();
                    }
                    entry = null;
                }
            }
        }
        if (refusal != null) {
            entry.releaseStorage();
            SEND_FAILURES.getAndAdd(this, 1L);
            core.invoke(callback, refusal);
            return SendStatus.REJECTED;
        }
        if (entry != null) {
            entry.releaseStorage();
            return backPressure();
        }
        core.runHandler(drain);
        return SendStatus.ACCEPTED;
    }

    private SendStatus backPressure() {
        synchronized (this) {
            backPressured = true;
        }
        core.counters.backPressured();
        return SendStatus.BACK_PRESSURED;
    }

    private static void checkDataFrame(FrameType type, int flags) {
        Objects.requireNonNull(type, "type");
        int allowed;
        switch (type) {
            case MESSAGE:
            case REPLY:
                allowed = DATA_FLAGS_MESSAGE;
                break;
            case ERROR:
                allowed = 0;
                break;
            default:
                throw new IllegalArgumentException(type + " frames are sent by the pool itself; offer MESSAGE, REPLY"
                    + " or ERROR");
        }
        if ((flags & ~allowed) != 0 || (flags & DATA_FLAGS_MESSAGE) == DATA_FLAGS_MESSAGE) {
            throw new IllegalArgumentException("flags 0x" + Integer.toHexString(flags) + " are not valid on " + type
                + " frames");
        }
    }

    private PoolException refusalLocked(long now) {
        switch (reachability) {
            case CLOSED:
                return new ConnectionClosedException(nodeId);
            case UNREACHABLE:
                if (now - unreachableUntil < 0) {
                    return unreachableCause;
                }
                // The back-off is over: let this message through to probe the peer again.
                becomeReachableLocked();
                return null;
            default:
                return null;
        }
    }

    @Override
    public boolean isWritable() {
        return queuedData < core.sendQueueDepth;
    }

    @Override
    public synchronized void drainHandler(Runnable handler) {
        this.drainHandler = handler;
    }

    /** Queues a control frame and tries to post it. */
    void sendControl(ControlStep step, TargetAddress channelAddress) {
        Runnable drain;
        synchronized (this) {
            if (reachability != Reachability.REACHABLE) {
                return;
            }
            if (step == ControlStep.CREDIT && creditQueued) {
                return;
            }
            if (!helloQueued && core.sendsHello && step != ControlStep.HELLO) {
                queueControlLocked(ControlStep.HELLO, null, true);
            }
            // On RC the handshake's steps travel as datagrams, ahead of data that waits for the channel they set
            // up; only RELEASE keeps its place, as the last frame on the channel.
            boolean ahead = step == ControlStep.HELLO || step == ControlStep.CREDIT
                || (core.connectsOnFirstData() && step != ControlStep.CHANNEL_RELEASE);
            queueControlLocked(step, channelAddress, ahead);
            drain = pumpLocked();
        }
        core.runHandler(drain);
    }

    /**
     * @param atHead put it ahead of queued data (after a queued HELLO), as credits and HELLOs do not need order.
     */
    private void queueControlLocked(ControlStep step, TargetAddress channelAddress, boolean atHead) {
        SendEntry entry = SendEntry.control(this, step, channelAddress, core.nodeIdLength, System.nanoTime());
        if (step == ControlStep.HELLO) {
            helloQueued = true;
        } else if (step == ControlStep.CREDIT) {
            creditQueued = true;
        }
        if (!atHead || queueHead == null) {
            append(entry);
        } else if (step != ControlStep.HELLO && queueHead.controlStep == ControlStep.HELLO) {
            entry.next = queueHead.next;
            queueHead.next = entry;
            if (queueTail == queueHead) {
                queueTail = entry;
            }
        } else {
            entry.next = queueHead;
            queueHead = entry;
        }
    }

    /** Posts what can be posted now; called by the pool's poller for peers in the ready queue. */
    void pump() {
        Runnable drain;
        synchronized (this) {
            drain = pumpLocked();
        }
        core.runHandler(drain);
    }

    /**
     * Posts queued frames while the peer has credits, the path has room and the initiator quota allows.
     *
     * @return the drain handler to run if the queue drained after back-pressure, else {@code null}.
     */
    private Runnable pumpLocked() {
        if (reachability != Reachability.REACHABLE || recovering || queueHead == null) {
            return drainDueLocked();
        }
        if (bound != null && bound.isDedicated() != channelSending) {
            return drainDueLocked(); // switching paths: the old one must drain first
        }
        SendPath path = bound != null ? bound : preferredPathLocked();
        if (path == null) {
            core.schedule(this);
            return drainDueLocked();
        }
        TargetAddress target = address;
        if (target == null && !path.isDedicated()) {
            startResolveLocked();
            return drainDueLocked();
        }
        if (!path.tryLock()) {
            core.schedule(this);
            return drainDueLocked();
        }
        try {
            postLocked(path, target);
        } finally {
            path.unlock();
        }
        return drainDueLocked();
    }

    private void postLocked(SendPath path, TargetAddress target) {
        if (bound == path && inFlightCount > 0 && path.resets() != boundResets) {
            // Another peer's error reset the shared queue pair after this peer posted: some of its frames in flight
            // may come back flushed and be replayed, so nothing newer may overtake them. Wait for them to complete.
            return;
        }
        while (queueHead != null && inFlightCount < core.initiatorQuota) {
            SendEntry head = queueHead;
            boolean data = !head.isControl();
            if (data && !path.carriesData()) {
                core.channels.connectFor(this); // on RC, data waits for the peer's channel
                return;
            }
            if (data && credits <= 0) {
                return;
            }
            if (path.space() == 0) {
                path.waiters.add(this);
                return;
            }
            // Credits ride only on paths that cannot lose them; owed ones wait for the next frame on such a path.
            int returned = path.carriesData() ? (int) CREDITS_TO_RETURN.getAndSet(this, 0) : 0;
            if (head.controlStep == ControlStep.CREDIT && returned == 0) {
                // A data frame already carried the credits back.
                pop();
                creditQueued = false;
                continue;
            }
            if (data) {
                path.writer.writeData(head, nextSequence, returned);
            } else {
                path.writer.writeControl(head, returned);
            }
            if (!path.post(head, target)) {
                CREDITS_TO_RETURN.getAndAdd(this, returned);
                if (path.inFlight() == 0) {
                    core.schedule(this);
                } else {
                    path.waiters.add(this);
                }
                return;
            }
            pop();
            head.posted = true;
            head.returnedCredits = returned;
            if (data) {
                head.sequence = nextSequence++;
                credits--;
                queuedData--;
            } else if (head.controlStep == ControlStep.CREDIT) {
                creditQueued = false;
            }
            appendFlight(head);
            inFlightCount++;
            if (bound != path) {
                boundResets = path.resets();
            }
            bound = path;
            if (head.waited) {
                head.waited = false;
                core.counters.queueWaitNanos(System.nanoTime() - head.acceptedNanos);
            }
            if (head.controlStep == ControlStep.CHANNEL_READY) {
                channelSending = true; // everything after READY waits for the DC path to drain, then uses the channel
                return;
            }
            if (head.controlStep == ControlStep.CHANNEL_RELEASE) {
                channelSending = false; // RELEASE is the last frame on the channel
                return;
            }
        }
    }

    private SendPath preferredPathLocked() {
        if (channelSending && channel != null && !channel.isBroken()) {
            return channel;
        }
        if (channel != null && channel.isBroken() && core.connectsOnFirstData()) {
            core.channels.channelBroken(this); // on RC a broken channel is replaced by connecting a new one
        }
        return core.sharedPath();
    }

    private Runnable drainDueLocked() {
        if (backPressured && queuedData <= core.sendQueueDepth / 2) {
            backPressured = false;
            return drainHandler;
        }
        return null;
    }

    /** Called by the pool when registered send memory was freed and this peer had been refused for lack of it. */
    void memoryFreed() {
        Runnable handler = null;
        synchronized (this) {
            if (backPressured) {
                backPressured = false;
                handler = drainHandler;
            }
        }
        core.runHandler(handler);
    }

    private void startResolveLocked() {
        if (!resolving) {
            resolving = true;
            core.resolveAddress(this);
        }
    }

    /** The directory answered, or failed to answer, for a peer known only from its inbound frames. */
    void resolved(TargetAddress keyed) {
        Runnable drain;
        synchronized (this) {
            resolving = false;
            if (keyed == null) {
                return;
            }
            address = keyed;
            drain = pumpLocked();
        }
        core.runHandler(drain);
    }

    // ---------------------------------------------------------------- completions

    /**
     * Handles the completion of one of this peer's frames. Runs on the poller that polled it.
     *
     * @param entry    the frame.
     * @param status   how it completed.
     * @param outcomes where callbacks to run afterwards are collected.
     */
    void onCompletion(SendEntry entry, CompletionStatus status, Outcomes outcomes) {
        synchronized (this) {
            removeFlight(entry);
            inFlightCount--;
            if (status == CompletionStatus.SUCCESS) {
                delivered(entry, outcomes);
            } else {
                undelivered(entry, status, outcomes);
            }
            if (inFlightCount == 0) {
                bound = null;
                if (recovering) {
                    finishRecoveryLocked();
                }
            }
            outcomes.handler(pumpLocked());
        }
    }

    private void delivered(SendEntry entry, Outcomes outcomes) {
        lastProgressNanos = System.nanoTime();
        FRAMES_SENT.getAndAdd(this, 1L);
        BYTES_SENT.getAndAdd(this, (long) entry.frameLength);
        core.counters.sent(entry.frameLength);
        if (entry.path.isDedicated()) {
            core.counters.sentOnChannel();
        }
        entry.releaseStorage();
        if (entry.isControl()) {
            core.channels.controlDelivered(this, entry);
        } else {
            maxDeliveredSequence = Math.max(maxDeliveredSequence, entry.sequence);
            outcomes.complete(entry.callback, null);
        }
    }

    private void undelivered(SendEntry entry, CompletionStatus status, Outcomes outcomes) {
        core.counters.error(status);
        recovering = true;
        boolean surelyNotDelivered = status != CompletionStatus.RETRY_EXCEEDED;
        if (surelyNotDelivered) {
            CREDITS_TO_RETURN.getAndAdd(this, entry.returnedCredits);
            if (!entry.isControl()) {
                credits++;
            }
        }
        if (entry.isControl() && status != CompletionStatus.RETRY_EXCEEDED
            && status != CompletionStatus.REMOTE_ACCESS) {
            retryControl(entry, status, outcomes);
            return;
        }
        switch (status) {
            case FLUSHED:
                if (reachability == Reachability.REACHABLE) {
                    requeue(entry);
                } else {
                    fail(entry, reachability == Reachability.CLOSED ? new ConnectionClosedException(nodeId)
                        : unreachableCause, outcomes);
                }
                return;
            case RNR_RETRY_EXCEEDED:
                noteUndelivered(entry);
                fail(entry, new ReceiverNotReadyException(nodeId), outcomes);
                return;
            case RETRY_EXCEEDED:
                fail(entry, markUnreachableLocked(new PeerUnreachableException(nodeId, status), outcomes), outcomes);
                return;
            case REMOTE_ACCESS:
                core.counters.accessRefused();
                fail(entry, markUnreachableLocked(new AccessDeniedException(nodeId), outcomes), outcomes);
                return;
            default:
                noteUndelivered(entry);
                fail(entry, new TransferFailedException(nodeId, status), outcomes);
        }
    }

    /**
     * A control frame that was flushed or refused is sent again, a few times; one that keeps failing is given up,
     * and with it the handshake it belonged to, so no state waits forever for an answer that cannot come.
     */
    private void retryControl(SendEntry entry, CompletionStatus status, Outcomes outcomes) {
        boolean flushed = status == CompletionStatus.FLUSHED;
        if (reachability == Reachability.REACHABLE && (flushed || ++entry.failures < MAX_CONTROL_FAILURES)) {
            requeue(entry);
            return;
        }
        entry.releaseStorage();
        if (entry.controlStep == ControlStep.HELLO) {
            helloQueued = false;
        }
        core.channels.controlLost(this, entry);
    }

    private void noteUndelivered(SendEntry entry) {
        if (!entry.isControl()) {
            rewindTo = Math.min(rewindTo, entry.sequence);
        }
    }

    private void requeue(SendEntry entry) {
        noteUndelivered(entry);
        entry.sequence = SendEntry.UNSEQUENCED;
        entry.posted = false;
        entry.next = null;
        if (requeueTail == null) {
            requeueHead = entry;
        } else {
            requeueTail.next = entry;
        }
        requeueTail = entry;
    }

    private void fail(SendEntry entry, PoolException cause, Outcomes outcomes) {
        entry.releaseStorage();
        if (entry.isControl()) {
            // The peer is closed or unreachable: the credits a control frame carried were restored, and the
            // channel it may belong to was dropped with the peer.
            return;
        }
        SEND_FAILURES.getAndAdd(this, 1L);
        outcomes.complete(entry.callback, cause);
    }

    /** Every in-flight frame has completed after a failure: put flushed frames back in order and rewind. */
    private void finishRecoveryLocked() {
        if (requeueHead != null) {
            for (SendEntry e = requeueHead; e != null; e = e.next) {
                if (!e.isControl()) {
                    queuedData++;
                }
            }
            requeueTail.next = queueHead;
            if (queueHead == null) {
                queueTail = requeueTail;
            }
            queueHead = requeueHead;
            requeueHead = null;
            requeueTail = null;
        }
        if (rewindTo != Long.MAX_VALUE) {
            // Never reuse a number the receiver has seen: that frame would be dropped as a duplicate.
            nextSequence = Math.max(rewindTo, maxDeliveredSequence + 1);
            rewindTo = Long.MAX_VALUE;
        }
        recovering = false;
    }

    /**
     * The peer is dead or refuses this node: fail everything queued, and make later offers fail fast until the
     * back-off elapses or the peer is heard from.
     *
     * @return the cause, for the frame that showed it.
     */
    private PoolException markUnreachableLocked(PoolException cause, Outcomes outcomes) {
        if (reachability == Reachability.REACHABLE) {
            reachability = Reachability.UNREACHABLE;
            unreachableCause = cause;
            unreachableUntil = System.nanoTime() + core.unreachableBackoffNanos;
            failQueuedLocked(cause, outcomes);
            core.channels.peerLost(this);
        }
        return unreachableCause;
    }

    private void failQueuedLocked(PoolException cause, Outcomes outcomes) {
        for (SendEntry e = requeueHead; e != null; ) {
            SendEntry next = e.next;
            fail(e, cause, outcomes);
            e = next;
        }
        requeueHead = null;
        requeueTail = null;
        for (SendEntry e = queueHead; e != null; ) {
            SendEntry next = e.next;
            fail(e, cause, outcomes);
            e = next;
        }
        queueHead = null;
        queueTail = null;
        queuedData = 0;
        helloQueued = false;
        creditQueued = false;
        outcomes.handler(drainDueLocked());
    }

    /**
     * On RC, the peer could not be connected (no answer, a refusal, or no queue pair to connect): what waits for it
     * fails with the reason, and later sends fail fast until the back-off elapses or the peer is heard from.
     */
    void connectFailed(String reason) {
        Outcomes out = new Outcomes();
        synchronized (this) {
            markUnreachableLocked(new PeerUnreachableException(nodeId, reason), out);
        }
        out.run(core.counters);
    }

    /** @return whether data waits in the queue; on RC, such a peer needs a channel. */
    synchronized boolean hasQueuedData() {
        return queuedData > 0;
    }

    private void becomeReachableLocked() {
        reachability = Reachability.REACHABLE;
        unreachableCause = null;
        credits = core.initialCredits;
        helloQueued = false;
    }

    // ---------------------------------------------------------------- liveness

    /**
     * A peer that holds every credit while messages wait for it may be slow or dead, and only a frame posted to it
     * tells which: the NIC fails it with RETRY_EXCEEDED if the peer is dead. The probe is a HELLO on the pool's
     * probe initiator, so if the peer is merely out of receive buffers the probe waits there, never on an
     * initiator that carries data. Called by the housekeeping poller.
     */
    void probeIfStalled(long now, long probeIntervalNanos) {
        synchronized (this) {
            if (queuedData == 0 || credits > 0 || now - lastProgressNanos < probeIntervalNanos) {
                return;
            }
        }
        probe(now);
    }

    /**
     * Warms the route to the peer before its first message: a HELLO on the probe initiator makes the NIC resolve
     * the peer now (and tells the peer this node's id). Called when the directory learns the peer's address.
     */
    void warmRoute() {
        probe(System.nanoTime());
    }

    private void probe(long now) {
        SendEntry probe;
        TargetAddress target;
        synchronized (this) {
            target = address;
            if (reachability != Reachability.REACHABLE || probing || target == null) {
                return;
            }
            probing = true;
            probe = SendEntry.control(this, ControlStep.HELLO, null, core.nodeIdLength, now);
            probe.probe = true;
        }
        if (!core.postProbe(probe, target)) {
            synchronized (this) {
                probing = false;
            }
        }
    }

    /** The probe completed: a dead peer is marked unreachable, failing what waits for it. */
    void onProbeCompleted(SendEntry probe, CompletionStatus status, Outcomes outcomes) {
        synchronized (this) {
            probing = false;
            lastProgressNanos = System.nanoTime();
            if (status != CompletionStatus.SUCCESS) {
                core.counters.error(status);
            }
            if (status == CompletionStatus.RETRY_EXCEEDED) {
                markUnreachableLocked(new PeerUnreachableException(nodeId, status), outcomes);
            }
        }
    }

    // ---------------------------------------------------------------- inbound

    /** Credits the peer returned in a frame header. Called by the receive poller. */
    void addCredits(int returned, Outcomes outcomes) {
        synchronized (this) {
            // A peer never grants more than the initial credits; anything above is a miscount, not a gift.
            credits = Math.min(core.initialCredits, credits + returned);
            lastProgressNanos = System.nanoTime();
            outcomes.handler(pumpLocked());
        }
    }

    /** The peer sent a frame: it is alive. A new epoch means it restarted and lost what it knew of this node. */
    void heardFrom(long epoch, Outcomes outcomes) {
        boolean restarted = remoteEpoch != 0 && epoch != remoteEpoch;
        remoteEpoch = epoch;
        if (restarted) {
            sequenceKnown = false;
            creditsToReturn = 0;
        }
        synchronized (this) {
            if (restarted) {
                core.channels.peerLost(this);
                credits = core.initialCredits;
                helloQueued = false;
            }
            if (reachability == Reachability.UNREACHABLE) {
                becomeReachableLocked();
                outcomes.handler(pumpLocked());
            }
        }
    }

    /**
     * The directory now has a different address for the peer: it moved or restarted. Frames go to the new address,
     * with fresh credits and a new HELLO.
     */
    void readdressed(TargetAddress keyed) {
        Runnable drain;
        synchronized (this) {
            address = keyed;
            credits = core.initialCredits;
            helloQueued = false;
            core.channels.peerLost(this);
            if (reachability == Reachability.UNREACHABLE) {
                becomeReachableLocked();
            }
            drain = pumpLocked();
        }
        core.runHandler(drain);
    }

    /**
     * The peer left, or the pool is closing: fail every queued and requeued frame. Frames in flight fail as their
     * completions arrive (the pool drains its paths when it closes).
     */
    void close(Outcomes outcomes) {
        synchronized (this) {
            if (reachability == Reachability.CLOSED) {
                return;
            }
            reachability = Reachability.CLOSED;
            failQueuedLocked(new ConnectionClosedException(nodeId), outcomes);
            core.channels.peerLost(this);
        }
    }

    void countReceived(int frameLength) {
        // Only the receive poller writes these.
        framesReceived++;
        bytesReceived += frameLength;
    }

    // ---------------------------------------------------------------- promotion state, for ChannelManager

    synchronized ChannelState channelState() {
        return channelState;
    }

    synchronized void channelState(ChannelState state) {
        this.channelState = state;
        this.channelStateSince = System.nanoTime();
    }

    /** @return when the handshake reached its current state, by {@link System#nanoTime()}. */
    synchronized long channelStateSince() {
        return channelStateSince;
    }

    synchronized boolean isProposer() {
        return proposer;
    }

    synchronized void proposer(boolean proposer) {
        this.proposer = proposer;
    }

    synchronized ReliablePath channel() {
        return channel;
    }

    synchronized void channel(ReliablePath channel) {
        this.channel = channel;
    }

    synchronized TargetAddress channelRemote() {
        return channelRemote;
    }

    synchronized void channelRemote(TargetAddress remote) {
        this.channelRemote = remote;
    }

    synchronized long nextPromotionAttempt() {
        return nextPromotionAttempt;
    }

    synchronized void nextPromotionAttempt(long nanos) {
        this.nextPromotionAttempt = nanos;
    }

    synchronized boolean isClosed() {
        return reachability == Reachability.CLOSED;
    }

    synchronized boolean isReachable() {
        return reachability == Reachability.REACHABLE;
    }

    /**
     * Moves this side's direction onto the channel, or back to DC; the move takes effect once the current path has
     * drained.
     */
    void sendOnChannel(boolean on) {
        Runnable drain;
        synchronized (this) {
            channelSending = on && channel != null;
            drain = pumpLocked();
        }
        core.runHandler(drain);
    }

    /** As {@link #sendOnChannel}, under the lock; a poller pumps the peer afterwards. */
    void sendOnChannelLocked(boolean on) {
        channelSending = on && channel != null;
        core.schedule(this);
    }

    @Override
    public synchronized boolean isPromoted() {
        return channelState == ChannelState.ACTIVE;
    }

    // ---------------------------------------------------------------- intrusive lists

    private void append(SendEntry entry) {
        entry.next = null;
        if (queueTail == null) {
            queueHead = entry;
        } else {
            queueTail.next = entry;
        }
        queueTail = entry;
    }

    private void pop() {
        SendEntry head = queueHead;
        queueHead = head.next;
        if (queueHead == null) {
            queueTail = null;
        }
        head.next = null;
    }

    private void appendFlight(SendEntry entry) {
        entry.next = null;
        if (flightTail == null) {
            flightHead = entry;
        } else {
            flightTail.next = entry;
        }
        flightTail = entry;
    }

    private void removeFlight(SendEntry entry) {
        SendEntry previous = null;
        for (SendEntry e = flightHead; e != null; previous = e, e = e.next) {
            if (e == entry) {
                if (previous == null) {
                    flightHead = e.next;
                } else {
                    previous.next = e.next;
                }
                if (flightTail == e) {
                    flightTail = previous;
                }
                e.next = null;
                return;
            }
        }
    }

    // ---------------------------------------------------------------- stats

    @Override
    public PeerStats stats() {
        return this;
    }

    @Override
    public long framesSent() {
        return framesSent;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long framesReceived() {
        return framesReceived;
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public synchronized int queuedMessages() {
        return queuedData;
    }

    @Override
    public synchronized int sendCredits() {
        return credits;
    }

    @Override
    public long sendFailures() {
        return sendFailures;
    }

    /** @return frames sent and received, for the promotion rate. */
    long traffic() {
        return framesSent + framesReceived;
    }

    /** @return whether this call put the peer in the ready queue's keeping (it was not there). */
    boolean markScheduled() {
        return SCHEDULED.compareAndSet(this, false, true);
    }

    /** The peer left the ready queue. */
    void clearScheduled() {
        scheduled = false;
    }

    /** One more receive credit is owed to the peer. @return how many are owed now. */
    int oweCredit() {
        return (int) CREDITS_TO_RETURN.getAndAdd(this, 1) + 1;
    }

    /** @return receive credits owed to the peer and not yet returned. */
    int owedCredits() {
        return creditsToReturn;
    }

    private static VarHandle handle(String field, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(Peer.class, field, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "Peer{" + nodeId + '}';
    }
}
