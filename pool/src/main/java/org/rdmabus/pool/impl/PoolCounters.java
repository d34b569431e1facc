package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.rdmabus.verbs.CompletionStatus;

/**
 * The pool's event counters. Any thread adds; readers get current sums. Failures of user code are logged the
 * first time only, so a broken handler cannot flood the log.
 */
final class PoolCounters {
    private static final System.Logger LOG = System.getLogger(PoolCounters.class.getName());

    private final LongAdder[] errors = new LongAdder[CompletionStatus.values().length];
    private final LongAdder queueWaits = new LongAdder();
    private final LongAdder queueWaitNanos = new LongAdder();
    private final LongAdder backPressured = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder framesOnChannels = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder emptyPolls = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sequenceGaps = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder accessRefusals = new LongAdder();
    private final AtomicLong pollerFailures = new AtomicLong();

    PoolCounters() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    void error(CompletionStatus status) {
        errors[status.ordinal()].increment();
    }

    long errors(CompletionStatus status) {
        return errors[status.ordinal()].sum();
    }

    void queueWait() {
        queueWaits.increment();
    }

    void queueWaitNanos(long nanos) {
        queueWaitNanos.add(nanos);
    }

    void backPressured() {
        backPressured.increment();
    }

    void sent(int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    void sentOnChannel() {
        framesOnChannels.increment();
    }

    long framesOnChannels() {
        return framesOnChannels.sum();
    }

    void received(int bytes) {
        framesReceived.increment();
        bytesReceived.add(bytes);
    }

    void poll(boolean empty) {
        polls.increment();
        if (empty) {
            emptyPolls.increment();
        }
    }

    void dropped() {
        dropped.increment();
    }

    void sequenceGap() {
        sequenceGaps.increment();
    }

    void accessRefused() {
        accessRefusals.increment();
    }

    void handlerFailed(Throwable failure) {
        handlerFailures.increment();
        if (handlerFailures.sum() == 1) {
            LOG.log(Level.WARNING, "a message sink, send callback or drain handler threw; further failures are only"
                + " counted", failure);
        }
    }

    void pollerFailed(Throwable failure) {
        if (pollerFailures.incrementAndGet() == 1) {
            LOG.log(Level.ERROR, "a pool poller step failed; the pool keeps polling and only counts further failures",
                failure);
        }
    }

    long queueWaits() {
        return queueWaits.sum();
    }

    long queueWaitNanos() {
        return queueWaitNanos.sum();
    }

    long backPressuredCount() {
        return backPressured.sum();
    }

    long framesSent() {
        return framesSent.sum();
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    long framesReceived() {
        return framesReceived.sum();
    }

    long bytesReceived() {
        return bytesReceived.sum();
    }

    long polls() {
        return polls.sum();
    }

    long emptyPolls() {
        return emptyPolls.sum();
    }

    long droppedCount() {
        return dropped.sum();
    }

    long sequenceGaps() {
        return sequenceGaps.sum();
    }

    long handlerFailures() {
        return handlerFailures.sum();
    }

    long accessRefusals() {
        return accessRefusals.sum();
    }

    long pollerFailures() {
        return pollerFailures.get();
    }
}
