package org.rdmabus.transport;

/**
 * What a completion poller thread does when a poll finds nothing.
 * <p>
 * A spinning thread owns a core. On a two-core machine two spinning threads starve the event loops, so the
 * default is {@link #ADAPTIVE}, and {@link #SPIN} is for hosts with cores to spare.
 */
public enum PollerIdleStrategy {
    /** Spin briefly, then yield, then park with a growing period: low latency under load, little CPU when idle. */
    ADAPTIVE,
    /** Busy-spin: the lowest latency, one core per poller whatever the load. */
    SPIN,
    /** Yield the core between polls: low latency, but a full core when nothing else wants it. */
    YIELD,
    /** Park between polls: the least CPU, adds the OS timer's wake-up latency (tens of microseconds). */
    PARK
}
