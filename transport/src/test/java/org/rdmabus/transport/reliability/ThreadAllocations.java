package org.rdmabus.transport.reliability;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, from the JVM's own per-thread accounting. */
final class ThreadAllocations {

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not measure per-thread allocation");
        }
    }

    private ThreadAllocations() {
    }

    /** @return the bytes the current thread has allocated since it started */
    static long ofCurrentThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
