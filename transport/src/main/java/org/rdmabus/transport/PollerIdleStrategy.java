package org.rdmabus.transport;

/**
 * What a completion poller does when a poll finds nothing. A spinning thread owns a core: offer
 * {@link #SPIN} only on machines with cores to spare.
 */
public enum PollerIdleStrategy {

  /** Spin briefly, then yield, then park with a growing back-off: low latency under load, idle when quiet. */
  ADAPTIVE,

  /** Busy-spin: the lowest latency, one whole core per poller. */
  SPIN,

  /** Yield the core between polls. */
  YIELD,

  /** Park between polls: the least CPU, the highest wake-up latency. */
  PARK
}
