package org.rdmabus.transport.impl.poller;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.rdmabus.transport.PollerIdleStrategy;

/** Turns a {@link PollerIdleStrategy} into an Agrona {@link IdleStrategy} sized for this machine. */
public final class IdleStrategies {
    /**
     * How long the adaptive strategy keeps yielding before it parks. A request/reply exchange over the fabric
     * takes tens of microseconds, so a poller that yields for longer than that never parks between the
     * messages of a conversation, and parks within a fraction of a millisecond once traffic stops.
     */
    private static final long ADAPTIVE_YIELDS = 2_000;
    private static final long ADAPTIVE_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    /**
     * The longest an idle poller sleeps. Completion queues have no wake-up signal, so this is the delay a message
     * to an idle node can wait before it is seen; a millisecond dominated the first request to a quiet node. At
     * 100 us an idle poller wakes 10,000 times a second, a few percent of one core.
     */
    private static final long ADAPTIVE_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long PARK_PERIOD_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private IdleStrategies() {
    }

    /**
     * @param kind  the configured strategy.
     * @param cores the cores available to this JVM.
     * @return a new idle strategy, one per poller thread.
     */
    public static IdleStrategy create(PollerIdleStrategy kind, int cores) {
        return switch (kind) {
            case SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case PARK -> new SleepingIdleStrategy(PARK_PERIOD_NS);
            // Spinning only pays when another core can run the event loops meanwhile.
            case ADAPTIVE -> new BackoffIdleStrategy(cores > 2 ? 100 : 10, ADAPTIVE_YIELDS,
                ADAPTIVE_MIN_PARK_NS, ADAPTIVE_MAX_PARK_NS);
        };
    }
}
