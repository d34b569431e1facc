package org.rdmabus.bench;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** The idle strategies the latency benchmarks compare under, by name. */
final class Idle {
    private Idle() {
    }

    static IdleStrategy of(String name) {
        return switch (name) {
            case "spin" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            default -> throw new IllegalArgumentException("idle strategy spin or yield, not " + name);
        };
    }
}
