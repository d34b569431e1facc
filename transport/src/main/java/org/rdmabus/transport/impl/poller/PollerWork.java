package org.rdmabus.transport.impl.poller;

/** One unit of completion work a poller thread drives, such as the pool's completion queues for one poller. */
@FunctionalInterface
public interface PollerWork {

    /**
     * Polls once and handles what it found. Must not block.
     *
     * @return how much work was done; 0 lets the poller idle.
     */
    int doWork();
}
