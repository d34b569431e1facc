package org.rdmabus.transport.impl;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long getting a pool connection to a peer took, split by how it was found: {@link #warm()} when the pool knew
 * the peer (a map look-up), {@link #miss()} when the directory had to ask the cluster. Plain numbers, cheap to
 * record on any thread; the metrics binder publishes them as timers.
 */
public final class ConnectLatency {
    private final Tally warm = new Tally();
    private final Tally miss = new Tally();

    /** @return connects the pool answered from what it knew. */
    public Tally warm() {
        return warm;
    }

    /** @return connects that needed a directory look-up in the cluster, successful or not. */
    public Tally miss() {
        return miss;
    }

    /** Count, total and maximum of one kind of connect. */
    public static final class Tally {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        /**
         * Records one connect.
         *
         * @param startNanos {@link System#nanoTime()} when it began.
         */
        public void since(long startNanos) {
            long nanos = System.nanoTime() - startNanos;
            count.increment();
            totalNanos.add(nanos);
            maxNanos.accumulate(nanos);
        }

        /** @return how many were recorded. */
        public long count() {
            return count.sum();
        }

        /** @return their total duration in nanoseconds. */
        public long totalNanos() {
            return totalNanos.sum();
        }

        /** @return the longest, in nanoseconds. */
        public long maxNanos() {
            return maxNanos.get();
        }
    }
}
