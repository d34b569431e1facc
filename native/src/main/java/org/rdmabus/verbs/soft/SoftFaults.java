package org.rdmabus.verbs.soft;

import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.soft.impl.FaultInjection;

/**
 * Fault injection for the {@code soft} provider, for tests of code above the NIC layer (the pool's error
 * isolation, reconnects, fail-over). Each injected failure behaves like the real one: the request completes with
 * the status, nothing is written or delivered, and the queue pair moves to
 * {@link org.rdmabus.verbs.QueuePairState#ERROR}.
 * <ul>
 *   <li>{@link #failNextPost(QueuePair, CompletionStatus)}: the next request the initiator (or reliable queue pair)
 *       executes fails.</li>
 *   <li>{@link #failNextPostTo(DcTarget, CompletionStatus)}: the next request any initiator, in any process,
 *       executes against the target fails; exactly one initiator sees it.</li>
 *   <li>{@link #lookDead(DcTarget, boolean)}: while set, every request to the target completes
 *       {@link CompletionStatus#RETRY_EXCEEDED}, as if its process had died; clear it to bring it back.</li>
 * </ul>
 * Target faults live in the target's shared segment, so they also affect initiators in other processes.
 */
public final class SoftFaults {
    private SoftFaults() {
    }

    /**
     * Makes the next request the queue pair executes complete with {@code status}.
     *
     * @param queuePair a soft {@link org.rdmabus.verbs.DcInitiator} or {@link ReliableQueuePair}.
     * @param status    any status except {@link CompletionStatus#SUCCESS}.
     * @throws IllegalArgumentException for another provider's queue pair or for SUCCESS.
     */
    public static void failNextPost(QueuePair queuePair, CompletionStatus status) {
        FaultInjection.failNextPost(queuePair, status);
    }

    /**
     * Makes the next request executed against {@code target}, by any initiator, complete with {@code status}.
     *
     * @param target a soft DC target.
     * @param status any status except {@link CompletionStatus#SUCCESS}.
     * @throws IllegalArgumentException for another provider's target or for SUCCESS.
     */
    public static void failNextPostTo(DcTarget target, CompletionStatus status) {
        FaultInjection.failNextPostTo(target, status);
    }

    /**
     * Like {@link #failNextPostTo(DcTarget, CompletionStatus)} for requests sent to a reliable queue pair.
     *
     * @param queuePair a soft reliable queue pair (the receiving side).
     * @param status    any status except {@link CompletionStatus#SUCCESS}.
     */
    public static void failNextPostTo(ReliableQueuePair queuePair, CompletionStatus status) {
        FaultInjection.failNextPostTo(queuePair, status);
    }

    /**
     * Makes a target look dead (or alive again) to every initiator.
     *
     * @param target a soft DC target.
     * @param dead   {@code true} to fail every request to it with {@link CompletionStatus#RETRY_EXCEEDED}.
     */
    public static void lookDead(DcTarget target, boolean dead) {
        FaultInjection.lookDead(target, dead);
    }

    /**
     * Like {@link #lookDead(DcTarget, boolean)} for a reliable queue pair (the receiving side).
     *
     * @param queuePair a soft reliable queue pair.
     * @param dead      {@code true} to fail every request to it with {@link CompletionStatus#RETRY_EXCEEDED}.
     */
    public static void lookDead(ReliableQueuePair queuePair, boolean dead) {
        FaultInjection.lookDead(queuePair, dead);
    }

    /**
     * Like {@link #lookDead(DcTarget, boolean)} for a datagram queue pair (the receiving side). Unlike a real
     * datagram, a soft one to a dead peer completes with {@link CompletionStatus#RETRY_EXCEEDED}.
     *
     * @param queuePair a soft datagram queue pair.
     * @param dead      {@code true} to fail every datagram to it with {@link CompletionStatus#RETRY_EXCEEDED}.
     */
    public static void lookDead(DatagramQueuePair queuePair, boolean dead) {
        FaultInjection.lookDead(queuePair, dead);
    }
}
