package org.rdmabus.pool.impl;

import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A promoted peer's dedicated reliable queue pair. Its receives come from the node's shared receive queue and
 * land on the node's receive completion queue, so frames from the peer arrive in one stream whichever path they
 * took. Created and connected off the data path, by the pool's control thread.
 */
final class ReliablePath extends SendPath {
    private final CompletionQueue completions;
    private final ReliableQueuePair queuePair;
    private final int pollerIndex;
    private final boolean reconnectOnError;
    private volatile boolean retired;

    /**
     * @param reconnectOnError whether a queue pair in error is given up rather than reset (on RC): after a remote
     *                         error or exhausted retries a reset RC queue pair keeps failing on some devices
     *                         (Soft-RoCE), so the peer connects a fresh one and replays what was flushed.
     */
    ReliablePath(Nic nic, SharedReceiveQueue receives, CompletionQueue receiveCompletions, int depth, int maxInline,
                 int pollBatch, FrameWriter writer, int pollerIndex, boolean reconnectOnError) {
        super(depth, maxInline, pollBatch, writer);
        this.pollerIndex = pollerIndex;
        this.reconnectOnError = reconnectOnError;
        this.completions = nic.createCompletionQueue(depth);
        try {
            this.queuePair = nic.createReliableQueuePair(completions, receives, receiveCompletions, depth);
        } catch (RuntimeException e) {
            completions.close();
            throw e;
        }
    }

    ReliableQueuePair queuePair() {
        return queuePair;
    }

    /** @return the address the peer connects to. */
    TargetAddress localAddress() {
        return queuePair.localAddress();
    }

    /** Connects to the peer's queue pair. */
    void connect(TargetAddress remote) {
        queuePair.connect(remote);
    }

    boolean isConnected() {
        return queuePair.isConnected();
    }

    /** Marks the path for closing by its poller once its last completion is in. */
    void retire() {
        retired = true;
    }

    /** @return whether the path was retired and has nothing in flight, so its poller may close it. */
    boolean isDrainedAfterRetirement() {
        return retired && inFlight() == 0;
    }

    /** @return the poller that polls this path's completions. */
    int pollerIndex() {
        return pollerIndex;
    }

    @Override
    CompletionQueue completionQueue() {
        return completions;
    }

    @Override
    QueuePairState state() {
        return queuePair.state();
    }

    @Override
    void resetQueuePair() {
        if (reconnectOnError) {
            throw new IllegalStateException("an RC channel in error is replaced by a new connection");
        }
        queuePair.reset();
    }

    @Override
    void replaceQueuePair(RuntimeException cause) {
        // A dedicated queue pair that cannot be reset is not replaced here: its peer falls back to the shared
        // initiators (DC) or connects a new one (RC).
        throw cause;
    }

    @Override
    boolean postRequest(TargetAddress target, WorkRequest request) {
        return queuePair.post(request);
    }

    @Override
    boolean isDedicated() {
        return true;
    }

    @Override
    public void close() {
        queuePair.close();
        completions.close();
    }

    @Override
    public String toString() {
        return "reliable@" + pollerIndex;
    }
}
