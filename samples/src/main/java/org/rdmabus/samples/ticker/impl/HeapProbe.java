package org.rdmabus.samples.ticker.impl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What a JVM's heap holds: the heap in use right after a full collection, i.e. what is still reachable, without
 * the garbage that merely has not been collected yet. The nodes run the serial collector, whose full collection runs
 * when asked.
 */
final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** @return bytes of heap in use after a full collection. */
    static long usedAfterGc() {
        MEMORY.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
