package org.rdmabus.samples.functions.impl;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the classic path waits for completions: spin a little, yield, then park up to a millisecond. It is the same
 * back-off as the rdmabus transport's default (adaptive) poller on a machine with two cores, so the classic and the
 * warm-pool columns wait for the fabric alike, and neither owns a core while idle.
 */
final class ClassicIdle {

    private static final long SPINS = 10;
    private static final long YIELDS = 2_000;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private ClassicIdle() {
    }

    /** @return a new idle strategy, one per polling thread. */
    static IdleStrategy create() {
        return new BackoffIdleStrategy(SPINS, YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
    }
}
