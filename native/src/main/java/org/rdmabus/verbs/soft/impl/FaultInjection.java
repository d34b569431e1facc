package org.rdmabus.verbs.soft.impl;

import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.ReliableQueuePair;

/** The mechanics behind {@code org.rdmabus.verbs.soft.SoftFaults}. */
public final class FaultInjection {
    private FaultInjection() {
    }

    /**
     * @param queuePair a soft initiator or reliable queue pair.
     * @param status    the failure its next executed request completes with.
     */
    public static void failNextPost(QueuePair queuePair, CompletionStatus status) {
        if (!(queuePair instanceof SoftQueuePair soft)) {
            throw new IllegalArgumentException("not a soft queue pair: " + queuePair);
        }
        soft.sendQueue().injectFailure(failure(status));
    }

    /**
     * @param target a soft DC target or reliable queue pair.
     * @param status the failure the next request any initiator executes against it completes with.
     */
    public static void failNextPostTo(Object target, CompletionStatus status) {
        Entry entry = entry(target);
        entry.nic.segment().injectTargetFailure(entry.number, failure(status).ordinal());
    }

    /**
     * @param target a soft DC target, reliable queue pair or datagram queue pair.
     * @param dead   whether every initiator should find it dead.
     */
    public static void lookDead(Object target, boolean dead) {
        Entry entry = entry(target);
        entry.nic.segment().targetLooksDead(entry.number, dead);
    }

    private static CompletionStatus failure(CompletionStatus status) {
        if (status == null || status == CompletionStatus.SUCCESS) {
            throw new IllegalArgumentException("inject a failure status, not " + status);
        }
        return status;
    }

    private record Entry(SoftNic nic, int number) {
    }

    private static Entry entry(Object target) {
        if (target instanceof SoftDcTarget dct) {
            return new Entry(dct.nic(), dct.number());
        }
        if (target instanceof SoftReliableQueuePair rc) {
            return new Entry(rc.nic(), rc.number());
        }
        if (target instanceof SoftDatagramQueuePair datagrams) {
            return entry(datagrams.target());
        }
        throw new IllegalArgumentException("not a soft DC target or reliable queue pair: " + target
            + " (" + DcTarget.class.getSimpleName() + " or " + ReliableQueuePair.class.getSimpleName() + " expected)");
    }
}
