package org.rdmabus.verbs.soft.impl;

import java.util.concurrent.locks.ReentrantLock;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * The send queue of a DC initiator or reliable queue pair: a bounded ring of {@link WorkSlot}s executed strictly in
 * order. {@code post} executes at once when nothing is ahead; a request that must wait (the target has no receive
 * posted) stays at the head, later ones queue behind it, and the NIC's agent thread retries it until it runs, the
 * RNR timeout passes or the peer is found dead. Verbs error semantics: the first failure moves the queue to
 * {@link QueuePairState#ERROR} and every later request completes {@link CompletionStatus#FLUSHED} until
 * {@link #reset()}.
 * <p>
 * One thread posts at a time; the agent may progress concurrently, so both take {@link #lock}. The agent only
 * tries it: a poster holding the lock is driving the queue itself.
 */
final class SendQueue {
    private final SoftNic nic;
    private final SoftCompletionQueue completions;
    private final WorkExecutor executor;
    private final WorkSlot[] slots;
    private final int depth;
    private final ReentrantLock lock = new ReentrantLock();
    private long head;
    private long tail;
    private volatile int queued;
    private volatile QueuePairState state = QueuePairState.READY;
    private volatile CompletionStatus injectedFailure;

    SendQueue(SoftNic nic, SoftCompletionQueue completions, int depth, int maxInline) {
        this.nic = nic;
        this.completions = completions;
        this.executor = new WorkExecutor(nic);
        this.depth = depth;
        this.slots = new WorkSlot[depth];
        for (int i = 0; i < depth; i++) {
            slots[i] = new WorkSlot(maxInline);
        }
    }

    boolean post(TargetAddress target, WorkRequest request) {
        if (request.opcode() == null) {
            throw new IllegalArgumentException("the work request has no opcode: call send, write, read... first");
        }
        boolean startedWaiting;
        lock.lock();
        try {
            if (state == QueuePairState.CLOSED) {
                throw new IllegalStateException("queue pair is closed");
            }
            if (tail - head >= depth) {
                // Let a poster that retries on a full queue drive progress too, not only the agent.
                drain(System.nanoTime());
                queued = (int) (tail - head);
                if (tail - head >= depth) {
                    return false;
                }
            }
            boolean wasWaiting = head != tail;
            slots[(int) (tail % depth)].capture(target, request);
            tail++;
            drain(System.nanoTime());
            startedWaiting = !wasWaiting && head != tail;
            queued = (int) (tail - head);
        } finally {
            lock.unlock();
        }
        if (startedWaiting) {
            // Only the first waiting request wakes the agent: it keeps polling while any request waits.
            nic.agent().wake();
        }
        return true;
    }

    /** @return whether requests wait for the agent. */
    boolean hasWork() {
        return queued != 0;
    }

    /** @return how many requests completed; called by the agent. */
    int progress() {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            if (head == tail) {
                return 0;
            }
            long before = head;
            drain(System.nanoTime());
            queued = (int) (tail - head);
            return (int) (head - before);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Executes and completes requests from the head until one must wait or the queue is empty. Called with this
     * queue's lock held; takes the read side of the NIC's guard so no mapping it copies through or completes into
     * is unmapped meanwhile.
     */
    private void drain(long now) {
        long stamp = nic.guard().readLock();
        try {
            drainGuarded(now);
        } finally {
            nic.guard().unlockRead(stamp);
        }
    }

    private void drainGuarded(long now) {
        while (head != tail) {
            WorkSlot slot = slots[(int) (head % depth)];
            if (slot.status == null) {
                CompletionStatus outcome;
                if (state != QueuePairState.READY) {
                    outcome = CompletionStatus.FLUSHED;
                } else if (slot.presetStatus != null) {
                    outcome = slot.presetStatus;
                } else if (injectedFailure != null) {
                    outcome = injectedFailure;
                    injectedFailure = null;
                } else {
                    outcome = executor.execute(slot, now);
                    if (outcome == null) {
                        return;
                    }
                }
                slot.status = outcome;
                if (outcome != CompletionStatus.SUCCESS && state == QueuePairState.READY) {
                    state = QueuePairState.ERROR;
                }
            }
            if ((slot.signalled || slot.status != CompletionStatus.SUCCESS)
                && !completions.offer(slot.wrId, slot.opcode, slot.status, slot.length, 0, false)) {
                // The completion queue is full: keep the outcome and deliver it once the application polls.
                return;
            }
            slot.clear();
            head++;
        }
    }

    QueuePairState state() {
        return state;
    }

    void reset() {
        lock.lock();
        try {
            if (state == QueuePairState.CLOSED) {
                throw new IllegalStateException("queue pair is closed");
            }
            drain(System.nanoTime());
            queued = (int) (tail - head);
            if (state == QueuePairState.ERROR && head != tail) {
                throw new IllegalStateException(
                    "the completion queue is full, so flushed requests cannot complete: poll it, then reset again");
            }
            state = QueuePairState.READY;
        } finally {
            lock.unlock();
        }
    }

    int space() {
        return depth - queued;
    }

    void injectFailure(CompletionStatus status) {
        injectedFailure = status;
    }

    void close() {
        lock.lock();
        try {
            if (state == QueuePairState.CLOSED) {
                return;
            }
            state = QueuePairState.CLOSED;
            // Flush what the completion queue takes; the rest is dropped with the queue pair.
            drain(System.nanoTime());
            for (long seq = head; seq != tail; seq++) {
                slots[(int) (seq % depth)].clear();
            }
            head = tail;
            queued = 0;
        } finally {
            lock.unlock();
        }
    }
}
