package org.rdmabus.verbs;

/** The state of a queue pair, reduced to what users of the SPI act on. */
public enum QueuePairState {
    /** Accepts and executes work requests. */
    READY,
    /** A request failed; later requests complete with {@link CompletionStatus#FLUSHED} until {@code reset()}. */
    ERROR,
    /** Destroyed. */
    CLOSED
}
